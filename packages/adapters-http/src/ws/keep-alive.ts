import type { WebSocket } from 'ws'

/**
 * Pings every `intervalMs`; a peer that misses two pongs in a row is dropped (SPEC §6.8).
 * `onTick` runs on each ping (streams use it to mark the recording active). Returns a stop function.
 */
export function keepAlive(socket: WebSocket, intervalMs: number, onTick: () => void = () => {}): () => void {
  let missed = 0
  const onPong = (): void => {
    missed = 0
  }
  socket.on('pong', onPong)
  const timer = setInterval(() => {
    if (missed >= 2) {
      socket.terminate()
      return
    }
    missed++
    socket.ping()
    onTick()
  }, intervalMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    socket.off('pong', onPong)
  }
}

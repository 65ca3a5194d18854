/** A minimal typed event emitter (no Node `events`, so the browser bundle stays small). */
export class Emitter<Events extends Record<string, unknown>> {
  readonly #listeners = new Map<keyof Events, Set<(value: never) => void>>()

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof Events>(event: K, listener: (value: Events[K]) => void): () => void {
    const set = this.#listeners.get(event) ?? new Set()
    this.#listeners.set(event, set)
    set.add(listener as (value: never) => void)
    return () => set.delete(listener as (value: never) => void)
  }

  /** Calls every listener; a listener that throws does not stop the others. */
  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        ;(listener as (value: Events[K]) => void)(value)
      } catch (error) {
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }
}

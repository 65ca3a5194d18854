/** Runs tasks for the same key one after another, in arrival order; other keys run freely. */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>()

  /**
   * Runs `task` once every earlier task of `key` has settled; with none pending it starts at
   * once. Two promises per call beyond the task's own (it runs for every frame of every stream).
   */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key)
    const result = previous ? previous.then(task, task) : start(task)
    const tails = this.#tails
    const tail: Promise<void> = result.then(release, release)
    function release(): void {
      if (tails.get(key) === tail) tails.delete(key)
    }
    tails.set(key, tail)
    return result
  }

  /** Keys with a task running or queued. */
  get size(): number {
    return this.#tails.size
  }
}

function start<T>(task: () => Promise<T>): Promise<T> {
  try {
    return task()
  } catch (error) {
    return Promise.reject(error)
  }
}

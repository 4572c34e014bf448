/**
 * Runs acknowledged Slack work a few tasks at a time, in arrival order, giving the event loop a
 * turn before each task. better-sqlite3 runs queries synchronously, so without this a burst of
 * commands runs its database work back to back and the next request's acknowledgement waits
 * behind all of it. With it, a new request is acknowledged between two tasks.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly concurrency: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    await new Promise((resolve) => setImmediate(resolve));

    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

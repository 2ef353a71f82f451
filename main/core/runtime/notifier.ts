/**
 * Coalesces "something changed" into at most one call per `intervalMs`, so a burst of
 * requests produces a handful of snapshots, not thousands. The timer never keeps Node alive.
 */
export class Coalescer {
  private timer: NodeJS.Timeout | null = null;
  private lastRun = 0;

  constructor(
    private readonly run: () => void,
    private readonly intervalMs: number,
  ) {}

  poke(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastRun + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastRun = Date.now();
      try {
        this.run();
      } catch {
        // A failing listener must not stop later updates; listeners log their own errors.
      }
    }, wait);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** A tiny typed listener set whose failing listeners cannot break the others. */
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.set) {
      try {
        listener(value);
      } catch {
        // isolated
      }
    }
  }

  get size(): number {
    return this.set.size;
  }
}

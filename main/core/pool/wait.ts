import type { Clock } from '../clock';

/**
 * Waiters for "something changed" (a slot freed, a reset, new accounts): each waits for a time
 * or a wake-up, whichever comes first, and stops at once when its request's signal aborts.
 */
export class Waker {
  private readonly waiters = new Set<AbortController>();

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.waiters.size;
  }

  /** Resolves after `ms` or on wakeAll(); rejects with the signal's reason when it aborts. */
  async wait(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw signal.reason;
    const wake = new AbortController();
    this.waiters.add(wake);
    try {
      await this.clock.sleep(Math.max(0, ms), AbortSignal.any([signal, wake.signal]));
    } catch (err) {
      if (signal.aborted) throw signal.reason ?? err;
      if (!wake.signal.aborted) throw err;
    } finally {
      this.waiters.delete(wake);
    }
  }

  wakeAll(): void {
    const all = [...this.waiters];
    this.waiters.clear();
    for (const w of all) w.abort();
  }
}

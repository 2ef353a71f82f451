import type { Clock } from '../clock';

/**
 * Waiters for "something changed" (a slot freed, a probe answered, a reset, new accounts): each
 * waits for a time or a wake-up, whichever comes first, and stops at once when its request's
 * signal aborts. A waiter waits for one provider (and a model of it): what frees a slot or answers
 * a probe at one provider wakes only the requests waiting there, not every waiting request of
 * every model (with many waiting, waking them all made each probe's end re-plan them all).
 */
export class Waker {
  /** provider → model → waiters. */
  private readonly waiters = new Map<string, Map<string, Set<AbortController>>>();
  private count = 0;

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.count;
  }

  /** Resolves after `ms` or when woken (wakeAll, or a wake of its provider / its model); rejects with the signal's reason when it aborts. */
  async wait(ms: number, signal: AbortSignal, provider = '', model = ''): Promise<void> {
    if (signal.aborted) throw signal.reason;
    const wake = new AbortController();
    let byModel = this.waiters.get(provider);
    if (!byModel) this.waiters.set(provider, (byModel = new Map()));
    let set = byModel.get(model);
    if (!set) byModel.set(model, (set = new Set()));
    set.add(wake);
    this.count++;
    try {
      await this.clock.sleep(Math.max(0, ms), AbortSignal.any([signal, wake.signal]));
    } catch (err) {
      if (signal.aborted) throw signal.reason ?? err;
      if (!wake.signal.aborted) throw err;
    } finally {
      if (set.delete(wake)) this.count--;
      if (set.size === 0 && byModel.get(model) === set) byModel.delete(model);
      if (byModel.size === 0 && this.waiters.get(provider) === byModel) this.waiters.delete(provider);
    }
  }

  /** Wakes every waiter (accounts changed, a reset, a block expired, the pool closing). */
  wakeAll(): void {
    const all = [...this.waiters.values()];
    this.waiters.clear();
    this.count = 0;
    for (const byModel of all) for (const set of byModel.values()) abortAll(set);
  }

  /** Wakes the waiters of one provider (a slot freed on one of its accounts); with a model, only that model's. */
  wake(provider: string, model?: string): void {
    const byModel = this.waiters.get(provider);
    if (!byModel) return;
    const sets = model === undefined ? [...byModel.values()] : [byModel.get(model)].filter((s): s is Set<AbortController> => s !== undefined);
    if (model === undefined) this.waiters.delete(provider);
    else byModel.delete(model);
    for (const set of sets) {
      this.count -= set.size;
      abortAll(set);
    }
  }
}

/** Wakes a set's waiters and empties it (their own clean-up then finds nothing to count down). */
function abortAll(set: Set<AbortController>): void {
  const woken = [...set];
  set.clear();
  for (const w of woken) w.abort();
}

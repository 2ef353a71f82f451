import type { Clock } from '../../main/core/clock';

/**
 * A discrete-event clock for the quota bench: time only moves when `run()` takes the next timer.
 * Before each step every pending promise chain is allowed to settle, so code woken at time T
 * finishes (or schedules its next sleep) before time passes T. No real sleeping, ever.
 */

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

const before = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A binary min-heap of timers ordered by time, then by creation. Cancelled ones are skipped lazily. */
class TimerHeap {
  private readonly items: Timer[] = [];

  get size(): number {
    return this.items.length;
  }

  push(timer: Timer): void {
    const a = this.items;
    a.push(timer);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): Timer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SimClock implements Clock {
  private t: number;
  private seq = 0;
  private readonly timers = new TimerHeap();
  /** Bumped by every now()/sleep(): a settle round that bumps nothing means the code is idle. */
  private activity = 0;
  /** Timers fired so far (for the report). */
  fired = 0;
  /** Set by stop(): run() returns at its next step and no timer fires any more. */
  private stopped = false;

  constructor(readonly start: number) {
    this.t = start;
  }

  now(): number {
    this.activity++;
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.activity++;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!(ms > 0)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        timer.cancelled = true;
        reject(signal?.reason);
      };
      const timer: Timer = {
        at: this.t + Math.ceil(ms),
        seq: this.seq++,
        cancelled: false,
        fire: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Ends a run early (a wall-clock budget): what still sleeps never wakes. */
  stop(): void {
    this.stopped = true;
  }

  /** Runs `fn` at absolute virtual time `at` (not before now). */
  at(at: number, fn: () => void): void {
    this.timers.push({ at: Math.max(this.t, at), seq: this.seq++, cancelled: false, fire: fn });
  }

  /**
   * Lets every promise chain that needs no time to pass run to its next sleep: event-loop turns
   * until two in a row see no now()/sleep() call.
   */
  async settle(maxRounds = 100): Promise<void> {
    let idle = 0;
    for (let i = 0; i < maxRounds && idle < 2; i++) {
      const seen = this.activity;
      await turn();
      idle = this.activity === seen ? idle + 1 : 0;
    }
  }

  /**
   * Fires timers in time order until none is left (or `until` is passed), settling before each.
   * Resolves with the virtual time reached.
   */
  async run(until = Number.POSITIVE_INFINITY): Promise<number> {
    for (;;) {
      await this.settle();
      if (this.stopped) return this.t;
      let next = this.timers.pop();
      while (next?.cancelled) next = this.timers.pop();
      if (!next) break;
      if (next.at > until) {
        this.timers.push(next);
        break;
      }
      this.t = Math.max(this.t, next.at);
      this.fired++;
      next.fire();
    }
    await this.settle();
    return this.t;
  }
}

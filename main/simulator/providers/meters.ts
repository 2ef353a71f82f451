import type { Exceeded, MeterSpec, MeterView } from './types';

/**
 * The providers' counters: pure, no I/O, time from an injected clock. A counter is keyed by
 * (provider, owner, model or '*', meter name), so every key of one owner counts into the same
 * counters. Windows and calendar counters hold `{used, endsAt}`; buckets hold `{used, at}` and
 * drain continuously at limit/seconds per second.
 */

interface Counter {
  used: number;
  /** window/calendar: epoch ms when it empties. bucket: epoch ms of `used`. */
  t: number;
}

/** What `snapshot()` returns and `restore()` reads: plain JSON. */
export type MetersState = Array<[string, number, number]>;

export interface Charge {
  spec: MeterSpec;
  amount: number;
}

export class Meters {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly now: () => number) {}

  static key(provider: string, owner: string, model: string, spec: MeterSpec): string {
    return [provider, owner.toLowerCase(), spec.scope === 'owner' ? '*' : model.toLowerCase(), spec.name].join('\n');
  }

  /** Counts every charge, or none and says which limit refuses (the one that waits longest). */
  charge(provider: string, owner: string, model: string, charges: readonly Charge[]): Exceeded | null {
    const now = this.now();
    let worst: Exceeded | null = null;
    for (const { spec, amount } of charges) {
      if (amount <= 0) continue;
      const used = this.used(Meters.key(provider, owner, model, spec), spec, now);
      if (used + amount <= spec.limit) continue;
      const exceeded = this.exceeded(spec, used, amount, now, Meters.key(provider, owner, model, spec));
      if (!worst || exceeded.waitMs > worst.waitMs) worst = exceeded;
    }
    if (worst) return worst;
    for (const { spec, amount } of charges) this.add(Meters.key(provider, owner, model, spec), spec, amount, now);
    return null;
  }

  /** Gives back `amount` (a reservation larger than what was used). */
  refund(provider: string, owner: string, model: string, spec: MeterSpec, amount: number): void {
    const key = Meters.key(provider, owner, model, spec);
    const counter = this.counters.get(key);
    if (!counter || amount <= 0) return;
    this.used(key, spec, this.now());
    counter.used = Math.max(0, counter.used - amount);
  }

  /** Fills a counter to its limit (a test helper); a window already open keeps its end. */
  fill(provider: string, owner: string, model: string, spec: MeterSpec): void {
    const now = this.now();
    const key = Meters.key(provider, owner, model, spec);
    const used = this.used(key, spec, now);
    if (used < spec.limit) this.add(key, spec, spec.limit - used, now);
  }

  view(provider: string, owner: string, model: string, spec: MeterSpec): MeterView {
    const now = this.now();
    const key = Meters.key(provider, owner, model, spec);
    const used = this.used(key, spec, now);
    const counter = this.counters.get(key);
    let resetMs = 0;
    if (counter && used > 0) resetMs = spec.clock.kind === 'bucket' ? (used * spec.clock.seconds * 1000) / spec.limit : counter.t - now;
    return { spec, used, remaining: Math.max(0, Math.floor(spec.limit - used)), resetMs: Math.max(0, resetMs) };
  }

  reset(): void {
    this.counters.clear();
  }

  snapshot(): MetersState {
    return [...this.counters].filter(([, c]) => c.used > 0).map(([key, c]) => [key, c.used, c.t]);
  }

  restore(state: MetersState): void {
    for (const entry of state) {
      const [key, used, t] = entry;
      if (typeof key === 'string' && Number.isFinite(used) && Number.isFinite(t)) this.counters.set(key, { used, t });
    }
  }

  private used(key: string, spec: MeterSpec, now: number): number {
    const c = this.counters.get(key);
    if (!c) return 0;
    if (spec.clock.kind === 'bucket') {
      const drained = ((now - c.t) / (spec.clock.seconds * 1000)) * spec.limit;
      c.used = Math.max(0, c.used - Math.max(0, drained));
      c.t = now;
      if (c.used <= 1e-9) this.counters.delete(key);
      return c.used > 1e-9 ? c.used : 0;
    }
    if (now >= c.t) {
      this.counters.delete(key);
      return 0;
    }
    return c.used;
  }

  private add(key: string, spec: MeterSpec, amount: number, now: number): void {
    const c = this.counters.get(key);
    if (c) {
      c.used += amount;
      return;
    }
    const t = spec.clock.kind === 'bucket' ? now : spec.clock.kind === 'window' ? now + spec.clock.seconds * 1000 : spec.clock.next(now);
    this.counters.set(key, { used: amount, t });
  }

  private exceeded(spec: MeterSpec, used: number, requested: number, now: number, key: string): Exceeded {
    if (spec.clock.kind === 'bucket') {
      const perMs = spec.limit / (spec.clock.seconds * 1000);
      const over = used + requested - spec.limit;
      return { spec, used, requested, waitMs: Math.max(1, over / perMs), resetAt: now + used / perMs };
    }
    const endsAt = this.counters.get(key)?.t ?? now;
    return { spec, used, requested, waitMs: Math.max(0, endsAt - now), resetAt: endsAt };
  }
}

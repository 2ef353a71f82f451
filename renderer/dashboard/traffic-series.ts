import type { TrafficView } from '../../shared/snapshot';

export interface Bar {
  start: number;
  served: number;
  rotated: number;
  rateLimited: number;
}

export interface AccountSeries {
  account: string;
  bars: Bar[];
  totals: { served: number; rotated: number; rateLimited: number };
}

export interface TrafficSeries {
  windowStart: number;
  bucketMs: number;
  slots: number;
  /** Largest bar (served + rotated + rate-limited) over all accounts: one scale for all. */
  max: number;
  accounts: AccountSeries[];
}

/** Arranges `snapshot.traffic` buckets into fixed slots over the last `windowMs`, per account. */
export function trafficSeries(traffic: TrafficView, accountOrder: string[], now: number, windowMs: number): TrafficSeries {
  const bucketMs = Math.max(1, traffic.bucketMs);
  const slots = Math.max(1, Math.ceil(windowMs / bucketMs));
  const windowStart = Math.floor(now / bucketMs) * bucketMs - (slots - 1) * bucketMs;
  const byAccount = new Map<string, Bar[]>();
  const order = [...accountOrder];
  for (const bucket of traffic.history) {
    const slot = Math.floor((bucket.start - windowStart) / bucketMs);
    if (slot < 0 || slot >= slots) continue;
    if (!order.includes(bucket.account)) order.push(bucket.account);
    let bars = byAccount.get(bucket.account);
    if (!bars) {
      bars = Array.from({ length: slots }, (_, i) => ({ start: windowStart + i * bucketMs, served: 0, rotated: 0, rateLimited: 0 }));
      byAccount.set(bucket.account, bars);
    }
    const bar = bars[slot]!;
    bar.served += bucket.served;
    bar.rotated += bucket.rotated;
    bar.rateLimited += bucket.rateLimited;
  }
  let max = 0;
  const accounts: AccountSeries[] = [];
  for (const account of order) {
    const bars = byAccount.get(account);
    if (!bars) continue;
    const totals = { served: 0, rotated: 0, rateLimited: 0 };
    for (const bar of bars) {
      totals.served += bar.served;
      totals.rotated += bar.rotated;
      totals.rateLimited += bar.rateLimited;
      max = Math.max(max, bar.served + bar.rotated + bar.rateLimited);
    }
    accounts.push({ account, bars, totals });
  }
  return { windowStart, bucketMs, slots, max, accounts };
}

export interface AxisTick {
  at: number;
  /** Position along the chart, 0..100 (%). */
  left: number;
}

/** The chart's time axis: every full hour (local) inside the window, where it falls along it. */
export function hourTicks(series: Pick<TrafficSeries, 'windowStart' | 'bucketMs' | 'slots'>): AxisTick[] {
  const start = series.windowStart;
  const span = series.slots * series.bucketMs;
  const first = new Date(start);
  first.setMinutes(0, 0, 0);
  const ticks: AxisTick[] = [];
  for (let at = first.getTime(); at <= start + span; at += 3_600_000) {
    if (at >= start) ticks.push({ at, left: ((at - start) / span) * 100 });
  }
  return ticks;
}

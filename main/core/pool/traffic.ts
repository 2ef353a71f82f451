import type { TrafficBucket } from '../../../shared/snapshot';

export const BUCKET_MS = 10 * 60_000;
export const HISTORY_MS = 6 * 60 * 60_000;

export type TrafficField = 'served' | 'rotated' | 'rateLimited';

/** Requests per account in 10-minute buckets over the last 6 hours. */
export class Traffic {
  private readonly buckets = new Map<string, TrafficBucket>();

  record(now: number, account: string, field: TrafficField): void {
    const start = Math.floor(now / BUCKET_MS) * BUCKET_MS;
    const id = `${start}|${account}`;
    let bucket = this.buckets.get(id);
    if (!bucket) {
      // The cut-off moves only with the bucket start, which always makes a new bucket: prune here, not on every request.
      this.prune(now);
      bucket = { start, account, served: 0, rotated: 0, rateLimited: 0 };
      this.buckets.set(id, bucket);
    }
    bucket[field]++;
  }

  prune(now: number): void {
    const oldest = Math.floor((now - HISTORY_MS) / BUCKET_MS) * BUCKET_MS;
    for (const [id, bucket] of this.buckets) if (bucket.start < oldest) this.buckets.delete(id);
  }

  history(now: number): TrafficBucket[] {
    this.prune(now);
    return [...this.buckets.values()]
      .map((b) => ({ ...b }))
      .sort((a, b) => a.start - b.start || a.account.localeCompare(b.account));
  }

  load(buckets: readonly TrafficBucket[]): void {
    this.buckets.clear();
    for (const b of buckets) this.buckets.set(`${b.start}|${b.account}`, { ...b });
  }
}

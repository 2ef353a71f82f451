import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';
import { type CooldownRecord, countIn, DAY_MS, MINUTE_MS, type QuotaOwner, type Reservation } from './quota-store';
import { RedisQuotaStore, type QuotaEvent, type RedisQuotaStoreOptions, type StoreWarning } from './redis-quota-store';

/**
 * Several stores on one Redis stand for several replicas. The lease clock is a plain number the
 * tests move (no sleeping); the mirror's own refresh period is set long, so what a replica reads
 * comes from the change events the others publish.
 */

const alice: QuotaOwner = { provider: 'github', id: 'alice' };
const M = 'openai/gpt-4o-mini';
const T0 = 1_800_000_000_000;
const TTL = 10_000;

let redis: RedisServer;
let prefixes = 0;
let open: RedisQuotaStore[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  await Promise.all(open.map((s) => s.close()));
  open = [];
});
afterAll(async () => {
  await redis?.close();
});

const dayBlock = (until: number, account = 'K1'): CooldownRecord => ({ until, limitType: 'UserByModelByDay', source: 'retry-after', scope: 'model', account });

/** `count` replicas sharing one key prefix and one lease clock. */
async function replicas(count: number, extra: (i: number) => Partial<RedisQuotaStoreOptions> = () => ({})) {
  const clock = { now: T0 };
  const keyPrefix = `replicas${prefixes++}:`;
  const stores = Array.from({ length: count }, (_, i) => new RedisQuotaStore({ url: redis.url, keyPrefix, leaseTtlMs: TTL, heartbeatMs: 3_600_000, mirrorMaxAgeMs: 3_600_000, reconnectMinMs: 20, reconnectMaxMs: 100, clock: () => clock.now, replicaId: `r${i}`, ...extra(i) }));
  open.push(...stores);
  for (const store of stores) expect(await store.ready()).toBe(true);
  return { stores, clock };
}

const nextEvent = (store: RedisQuotaStore, kind: QuotaEvent['kind']) => new Promise<QuotaEvent>((resolve) => { const off = store.onEvent((e) => { if (e.kind === kind) { off(); resolve(e); } }); });
const nextHealth = (store: RedisQuotaStore, offline: boolean) =>
  new Promise<StoreWarning[]>((resolve) => { const off = store.onHealth((w) => { if (w.length > 0 === offline) { off(); resolve(w); } }); });
const okCount = (results: Reservation[]) => results.filter((r) => r.ok).length;

describe('RedisQuotaStore: replicas on one Redis', () => {
  it('a block learned by one replica refuses the next reservation on another, and its reads show it', async () => {
    const { stores: [a, b] } = await replicas(2);
    expect((await b!.reserve({ owner: alice, model: M, account: 'K2', now: T0, limits: null })).ok).toBe(true);
    const seen = nextEvent(b!, 'cooldown');
    await a!.applyCooldown(alice, M, dayBlock(T0 + DAY_MS), T0);
    // The change event reached b and its local copy shows the block (no refresh period passed).
    await seen;
    expect(b!.blocks(alice, M, T0 + 1).model).toEqual(dayBlock(T0 + DAY_MS));
    expect(await b!.reserve({ owner: alice, model: M, account: 'K2', now: T0 + 1, limits: null })).toEqual({ ok: false, refusal: { kind: 'blocked', block: dayBlock(T0 + DAY_MS) } });
    // A later, shorter answer on b does not shorten a's block.
    const effect = await b!.applyCooldown(alice, M, dayBlock(T0 + 60_000, 'K2'), T0 + 2);
    expect(effect).toEqual({ kept: dayBlock(T0 + DAY_MS), changed: false });
    const history = await a!.history();
    expect(history.map((e) => e.kind)).toEqual(['reserve', 'cooldown', 'cooldown']);
  });

  it('account marks set on one replica are listed on every other; unmarking clears them for all', async () => {
    const { stores: [a, b] } = await replicas(2);
    await a!.marks.mark({ account: 'GITHUB_TOKEN2', kind: 'forbidden', detail: M, at: T0 });
    await a!.marks.mark({ account: 'GITHUB_TOKEN', kind: 'retired', detail: null, at: T0 });
    expect((await b!.marks.list()).map((m) => `${m.account}:${m.kind}`)).toEqual(['GITHUB_TOKEN:retired', 'GITHUB_TOKEN2:forbidden']);
    await b!.marks.unmark('GITHUB_TOKEN', 'retired');
    expect(await a!.marks.list()).toEqual([{ account: 'GITHUB_TOKEN2', kind: 'forbidden', detail: M, at: T0 }]);
  });

  it('concurrent reservations from three replicas never pass a per-minute limit', async () => {
    const { stores } = await replicas(3);
    const limits = { perMinute: 5, perDay: 1_000, concurrent: 100 };
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 3]!.reserve({ owner: alice, model: M, account: `K${i % 3}`, now: T0 + i, limits })));
    expect(okCount(results)).toBe(5);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.refusal.kind === 'full' && r.refusal.limit === 'minute')).toBe(true);
    await stores[0]!.refresh();
    const counted = stores[0]!.usage(alice, T0 + 30)!.models[0]!;
    expect(countIn(counted.minute, T0 + 30, MINUTE_MS)).toBe(5);
    expect(counted.inFlight).toBe(5);
  });

  it('a probe answered 2xx on one replica holds back a probe on another while a request counted on a third is in flight', async () => {
    // The interleaving a traced serve run showed (issue 14): the window is full with a send still
    // in flight, a probe goes and upstream answers it first (2xx); the send then meets the 429.
    // A probe let go in between would be a second 429 in the window.
    const { stores: [a, b, c] } = await replicas(3);
    const limits = { perMinute: 3, perDay: 1_000, concurrent: 100 };
    const send = (store: RedisQuotaStore, now: number) => store.reserve({ owner: alice, model: M, account: 'K1', now, limits });
    const probe = (store: RedisQuotaStore, now: number) => store.reserve({ owner: alice, model: M, account: 'K1', now, limits: null, probe: true });
    const sends = [await send(a!, T0), await send(a!, T0 + 1), await send(b!, T0 + 2)];
    expect(okCount(sends)).toBe(3);
    const p1 = await probe(c!, T0 + 3);
    if (!p1.ok) throw new Error('the first probe was refused');
    await c!.answered(p1.lease);
    // c's heartbeat renews the answered probe under its new name, and never brings the old one back.
    await c!.heartbeat();
    expect(await probe(a!, T0 + 4)).toEqual({ ok: false, refusal: { kind: 'probing' } });
    // The probe's body is read and its slot freed (the second traced run): still held back.
    await c!.release(p1.lease, {}, T0 + 5);
    expect(await probe(a!, T0 + 5)).toEqual({ ok: false, refusal: { kind: 'probing' } });
    // a's sends are answered 2xx (one is released, one's body still read): b's is still out.
    await a!.answered((sends[0] as Extract<Reservation, { ok: true }>).lease);
    await a!.release((sends[1] as Extract<Reservation, { ok: true }>).lease, {}, T0 + 5);
    expect(await probe(a!, T0 + 6)).toEqual({ ok: false, refusal: { kind: 'probing' } });
    // b's send meets the 429: cooldown first, then its count and slot are given back.
    const minuteBlock: CooldownRecord = { until: T0 + MINUTE_MS, limitType: 'UserByModelByMinute', source: 'x-ratelimit-timeremaining', scope: 'model', account: 'K1' };
    const b2 = (sends[2] as Extract<Reservation, { ok: true }>).lease;
    await b!.applyCooldown(alice, M, minuteBlock, T0 + 7);
    await b!.uncount(b2, T0 + 7);
    await b!.release(b2, {}, T0 + 7);
    expect(await probe(a!, T0 + 8)).toEqual({ ok: false, refusal: { kind: 'blocked', block: minuteBlock } });
    // Released under its answered name, a's first send leaves no slot behind.
    await a!.release((sends[0] as Extract<Reservation, { ok: true }>).lease, {}, T0 + 9);
    await c!.heartbeat();
    await a!.refresh();
    expect(a!.usage(alice, T0 + 9)!.inFlight).toBe(0);
  });

  it('a replica that stops renewing its leases frees its slots within the lease TTL; a live one keeps them', async () => {
    const { stores: [a, b], clock } = await replicas(2);
    const limits = { perMinute: 100, perDay: 1_000, concurrent: 1 };
    expect((await a!.reserve({ owner: alice, model: M, account: 'K1', now: T0, limits })).ok).toBe(true);
    const full = { ok: false, refusal: { kind: 'full', limit: 'concurrent', until: null } };
    expect(await b!.reserve({ owner: alice, model: M, account: 'K2', now: T0, limits })).toEqual(full);
    // a renews: past the first TTL its slot still holds.
    clock.now += TTL - 1;
    await a!.heartbeat();
    clock.now += TTL - 1;
    expect(await b!.reserve({ owner: alice, model: M, account: 'K2', now: T0, limits })).toEqual(full);
    // a dies without releasing (as kill -9): one TTL later the slot is free.
    await a!.close({ releaseLeases: false });
    clock.now += TTL + 1;
    expect((await b!.reserve({ owner: alice, model: M, account: 'K2', now: T0, limits })).ok).toBe(true);
  });

  it('survives Redis going away: serves locally, warns, and merges what it learned by max when Redis is back', async () => {
    const registry = new Registry();
    const { stores: [a, b] } = await replicas(2, (i) => (i === 0 ? { registry } : {}));
    await a!.reserve({ owner: alice, model: M, account: 'K1', now: T0, limits: null });
    await a!.reserve({ owner: alice, model: M, account: 'K1', now: T0 + 1, limits: null });

    const aDown = nextHealth(a!, true);
    await redis.stop();
    const warnings = await aDown;
    expect(warnings).toEqual([{ code: 'quota-store-offline', message: expect.stringContaining(`127.0.0.1:${redis.port}`) }]);
    expect(await registry.getSingleMetricAsString('switchyard_quota_store_online')).toContain('switchyard_quota_store_online 0');

    // Away: a goes on serving from its own state, which started from the shared copy.
    const limits = { perMinute: 3, perDay: 1_000, concurrent: 100 };
    expect((await a!.reserve({ owner: alice, model: M, account: 'K1', now: T0 + 2, limits })).ok).toBe(true);
    expect(await a!.reserve({ owner: alice, model: M, account: 'K1', now: T0 + 3, limits })).toMatchObject({ ok: false, refusal: { kind: 'full', limit: 'minute' } });
    await a!.applyCooldown(alice, M, dayBlock(T0 + DAY_MS), T0 + 3);
    expect(a!.blocks(alice, M, T0 + 4).model?.until).toBe(T0 + DAY_MS);
    await a!.marks.mark({ account: 'GITHUB_TOKEN3', kind: 'invalid', detail: 'Bad credentials', at: T0 + 3 });
    expect((await a!.marks.list()).map((m) => m.account)).toEqual(['GITHUB_TOKEN3']);

    // Redis comes back empty (no persistence): a's learnings are merged in, b reads them.
    const aUp = nextHealth(a!, false);
    await redis.start();
    await aUp;
    expect(a!.warnings()).toEqual([]);
    await b!.ready();
    await b!.refresh();
    expect(b!.blocks(alice, M, T0 + 5).model?.until).toBe(T0 + DAY_MS);
    expect(countIn(b!.usage(alice, T0 + 5)!.models[0]!.minute, T0 + 5, MINUTE_MS)).toBe(3);
    expect((await b!.reserve({ owner: alice, model: M, account: 'K2', now: T0 + 5, limits: null })).ok).toBe(false);
    expect(await b!.marks.list()).toEqual([{ account: 'GITHUB_TOKEN3', kind: 'invalid', detail: 'Bad credentials', at: T0 + 3 }]);
    expect(await registry.getSingleMetricAsString('switchyard_quota_store_online')).toContain('switchyard_quota_store_online 1');
    expect(await registry.getSingleMetricAsString('switchyard_quota_store_seconds')).toContain('op="reserve"');
  });
});

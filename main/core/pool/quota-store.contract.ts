import { describe, expect, it } from 'vitest';
import { type CooldownRecord, countIn, DAY_MS, type Lease, MINUTE_MS, type QuotaOwner, type QuotaStore, type Reservation, type ReserveLimits } from './quota-store';

/**
 * What every quota store must do, written once: the in-memory store runs it, and so must a
 * shared one (`describeQuotaStoreContract('redis', () => makeRedisStore())`). Times are plain
 * numbers passed in (no clock, no sleeping).
 */

const alice: QuotaOwner = { provider: 'github', id: 'alice' };
const bob: QuotaOwner = { provider: 'github', id: 'bob' };
const M = 'openai/gpt-4o-mini';
const OTHER = 'openai/gpt-4.1';
const T0 = 1_000_000;

const block = (until: number, scope: CooldownRecord['scope'] = 'model', account = 'K1'): CooldownRecord => ({
  until,
  limitType: scope === 'user' ? 'UserByMinute' : scope === 'concurrency' ? 'UserConcurrentRequests' : 'UserByModelByDay',
  source: 'x-ratelimit-timeremaining',
  scope,
  account,
});

function leaseOf(r: Reservation): Lease {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.refusal)}`);
  return r.lease;
}

export function describeQuotaStoreContract(name: string, makeStore: () => QuotaStore | Promise<QuotaStore>): void {
  const reserve = (store: QuotaStore, owner: QuotaOwner, now: number, limits: ReserveLimits | null = null, model = M, account = 'K1') =>
    store.reserve({ owner, model, account, now, limits });
  const modelCounts = (store: QuotaStore, owner: QuotaOwner, now: number, model = M) => {
    const m = store.usage(owner, now)?.models.find((x) => x.model === model);
    return m ? { minute: countIn(m.minute, now, MINUTE_MS), day: countIn(m.day, now, DAY_MS), tokensDay: countIn(m.tokensDay, now, DAY_MS), inFlight: m.inFlight } : null;
  };

  describe(`QuotaStore contract: ${name}`, () => {
    it('reserve counts the request in its windows and holds a slot until released, with its usage', async () => {
      const store = await makeStore();
      const a = leaseOf(await reserve(store, alice, T0));
      const b = leaseOf(await reserve(store, alice, T0 + 10));
      expect([a.positions, b.positions]).toEqual([
        { minute: 1, day: 1 },
        { minute: 2, day: 2 },
      ]);
      expect(modelCounts(store, alice, T0 + 10)).toEqual({ minute: 2, day: 2, tokensDay: 0, inFlight: 2 });
      expect(store.usage(alice, T0 + 10)?.inFlight).toBe(2);
      await store.release(a, { tokens: 120 }, T0 + 20);
      await store.release(a, { tokens: 120 }, T0 + 20);
      expect(modelCounts(store, alice, T0 + 20)).toEqual({ minute: 2, day: 2, tokensDay: 120, inFlight: 1 });
      await store.release(b, {}, T0 + 30);
      expect(modelCounts(store, alice, T0 + 30)).toEqual({ minute: 2, day: 2, tokensDay: 120, inFlight: 0 });
      // A new minute window opens; the day keeps counting.
      leaseOf(await reserve(store, alice, T0 + MINUTE_MS + 1));
      expect(modelCounts(store, alice, T0 + MINUTE_MS + 1)).toMatchObject({ minute: 1, day: 3 });
    });

    it('uncount takes back a request upstream refused', async () => {
      const store = await makeStore();
      const a = leaseOf(await reserve(store, alice, T0));
      leaseOf(await reserve(store, alice, T0));
      await store.uncount(a, T0 + 5);
      await store.release(a, {}, T0 + 5);
      expect(modelCounts(store, alice, T0 + 5)).toEqual({ minute: 1, day: 1, tokensDay: 0, inFlight: 1 });
    });

    it('keys quota by owner and model: other owners, other providers and other models are untouched', async () => {
      const store = await makeStore();
      leaseOf(await reserve(store, alice, T0));
      leaseOf(await reserve(store, alice, T0, null, M, 'K2'));
      expect(store.usage(bob, T0)).toBeNull();
      expect(store.usage({ provider: 'groq', id: 'alice' }, T0)).toBeNull();
      expect(modelCounts(store, alice, T0, OTHER)).toBeNull();
      // Two accounts of one owner spend one quota.
      expect(modelCounts(store, alice, T0)).toMatchObject({ minute: 2, day: 2 });
      await store.applyCooldown(alice, M, block(T0 + 5_000), T0);
      expect((await reserve(store, { provider: 'groq', id: 'alice' }, T0)).ok).toBe(true);
      expect((await reserve(store, bob, T0)).ok).toBe(true);
      expect((await reserve(store, alice, T0, null, OTHER)).ok).toBe(true);
    });

    it('a cooldown is merged by max: a later, shorter answer never shortens a block', async () => {
      const store = await makeStore();
      const first = await store.applyCooldown(alice, M, block(T0 + 60_000), T0);
      expect(first).toEqual({ kept: block(T0 + 60_000), changed: true });
      const shorter = await store.applyCooldown(alice, M, block(T0 + 10_000, 'model', 'K2'), T0 + 1);
      expect(shorter).toEqual({ kept: block(T0 + 60_000), changed: false });
      const longer = await store.applyCooldown(alice, M, block(T0 + 90_000, 'model', 'K2'), T0 + 2);
      expect(longer).toEqual({ kept: block(T0 + 90_000, 'model', 'K2'), changed: true });
      expect(store.blocks(alice, M, T0 + 3).model?.until).toBe(T0 + 90_000);
    });

    it('a block refuses reservations until it ends; a model block holds one model, an owner block all', async () => {
      const store = await makeStore();
      await store.applyCooldown(alice, M, block(T0 + 30_000), T0);
      expect(await reserve(store, alice, T0 + 1)).toEqual({ ok: false, refusal: { kind: 'blocked', block: block(T0 + 30_000) } });
      expect(modelCounts(store, alice, T0 + 1)).toMatchObject({ minute: 0, inFlight: 0 });
      expect((await reserve(store, alice, T0 + 30_000)).ok).toBe(true);

      await store.applyCooldown(bob, M, block(T0 + 20_000, 'user'), T0);
      expect(store.blocks(bob, OTHER, T0 + 1).owner?.until).toBe(T0 + 20_000);
      expect(store.blocks(bob, null, T0 + 1)).toEqual({ model: null, owner: block(T0 + 20_000, 'user'), pause: null, cap: null, spent: null });
      const refused = await reserve(store, bob, T0 + 1, null, OTHER);
      expect(refused.ok === false && refused.refusal.kind).toBe('blocked');
      expect((await reserve(store, bob, T0 + 20_000, null, OTHER)).ok).toBe(true);
    });

    it('a concurrency block pauses the owner and lowers its in-flight cap below what upstream refused', async () => {
      const store = await makeStore();
      const leases = [leaseOf(await reserve(store, alice, T0)), leaseOf(await reserve(store, alice, T0)), leaseOf(await reserve(store, alice, T0))];
      await store.applyCooldown(alice, M, block(T0 + 1_000, 'concurrency'), T0);
      const blocks = store.blocks(alice, OTHER, T0 + 1);
      expect(blocks.pause?.until).toBe(T0 + 1_000);
      expect(blocks.cap?.value).toBe(2);
      await store.uncount(leases[2]!, T0 + 1);
      await store.release(leases[2]!, {}, T0 + 1);
      // The cap holds after the pause: two in flight, no third even where the limits allow more.
      const third = await reserve(store, alice, T0 + 1_000, { perMinute: 100, perDay: 1_000, concurrent: 10 });
      expect(third).toEqual({ ok: false, refusal: { kind: 'full', limit: 'concurrent', until: null } });
      await store.release(leases[0]!, {}, T0 + 1_000);
      expect((await reserve(store, alice, T0 + 1_000, { perMinute: 100, perDay: 1_000, concurrent: 10 })).ok).toBe(true);
    });

    it('with limits given, reserve checks and counts in one step: concurrent reservations never pass a limit', async () => {
      const store = await makeStore();
      const limits = { perMinute: 3, perDay: 100, concurrent: 50 };
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => reserve(store, alice, T0 + i, limits, M, `K${i % 2}`)));
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      const refused = results.filter((r) => !r.ok);
      expect(refused[0]).toEqual({ ok: false, refusal: { kind: 'full', limit: 'minute', until: T0 + MINUTE_MS } });
      expect(modelCounts(store, alice, T0 + 8)).toMatchObject({ minute: 3, day: 3, inFlight: 3 });

      const inFlight = await Promise.all(Array.from({ length: 5 }, () => reserve(store, bob, T0, { perMinute: 100, perDay: 100, concurrent: 2 })));
      expect(inFlight.filter((r) => r.ok)).toHaveLength(2);
      const day = await Promise.all(Array.from({ length: 4 }, (_, i) => reserve(store, { provider: 'github', id: 'carol' }, T0 + i * MINUTE_MS, { perMinute: 100, perDay: 2, concurrent: 100 })));
      expect(day.map((r) => (r.ok ? 'ok' : r.refusal.kind === 'full' && r.refusal.limit))).toEqual(['ok', 'ok', 'day', 'day']);
    });

    it('a probe that waits its turn is refused while another probe of the (owner, model) holds a slot', async () => {
      const store = await makeStore();
      const probe = (owner: QuotaOwner, model = M) => store.reserve({ owner, model, account: 'K1', now: T0, limits: null, probe: true });
      // The window's first probe does not wait for requests in flight.
      const send = leaseOf(await reserve(store, alice, T0));
      const first = leaseOf(await probe(alice));
      expect(await probe(alice)).toEqual({ ok: false, refusal: { kind: 'probing' } });
      // Other models and owners probe meanwhile; an ordinary reservation is not held up.
      leaseOf(await probe(alice, OTHER));
      leaseOf(await probe(bob));
      const later = leaseOf(await reserve(store, alice, T0));
      await store.release(first, {}, T0 + 5);
      // A probe went in this window: the next one also waits for the requests still unanswered.
      expect(await probe(alice)).toEqual({ ok: false, refusal: { kind: 'probing' } });
      await store.answered?.(send);
      await store.answered?.(later);
      leaseOf(await probe(alice));
    });

    it('a probe answered 2xx holds no other probe back while its slot is still held', async () => {
      const store = await makeStore();
      const probe = () => store.reserve({ owner: alice, model: M, account: 'K1', now: T0, limits: null, probe: true });
      const first = leaseOf(await probe());
      expect(await probe()).toEqual({ ok: false, refusal: { kind: 'probing' } });
      await store.answered?.(first);
      const second = leaseOf(await probe());
      // The answered probe's slot is still in flight until released; the new probe gates the next.
      expect(await probe()).toEqual({ ok: false, refusal: { kind: 'probing' } });
      await store.release(first, {}, T0 + 5);
      await store.release(second, {}, T0 + 5);
      leaseOf(await probe());
    });

    it('once a probe went in a window, the next waits for every other request of the (owner, model) to be answered, even after the first ended', async () => {
      // Upstream may have given the probe the last room of the window that a request counted
      // earlier was counted for: that request's answer is the window's one 429, and a second probe
      // sent before it is in the store would be another (issue 14: 15 served + 2 × 429 on a limit of 15).
      const store = await makeStore();
      const limits = { perMinute: 2, perDay: 100, concurrent: 10 };
      const probe = (now: number) => store.reserve({ owner: alice, model: M, account: 'K1', now, limits: null, probe: true });
      const s1 = leaseOf(await reserve(store, alice, T0, limits));
      const s2 = leaseOf(await reserve(store, alice, T0 + 1, limits));
      expect(await reserve(store, alice, T0 + 2, limits)).toMatchObject({ ok: false, refusal: { kind: 'full', limit: 'minute' } });
      const p1 = leaseOf(await probe(T0 + 3));
      expect(p1.positions.minute).toBe(3);
      await store.answered?.(p1);
      expect(await probe(T0 + 4)).toEqual({ ok: false, refusal: { kind: 'probing' } });
      // The probe's body is read and it ends; s1 is answered and ends; s2 is still out.
      await store.release(p1, {}, T0 + 5);
      expect(await probe(T0 + 5)).toEqual({ ok: false, refusal: { kind: 'probing' } });
      await store.release(s1, {}, T0 + 5);
      expect(await probe(T0 + 6)).toEqual({ ok: false, refusal: { kind: 'probing' } });
      // s2 meets the 429 (the pool puts the cooldown in the store before it frees the slot): the
      // next probe is refused by the block, not sent.
      const minuteBlock: CooldownRecord = { until: T0 + MINUTE_MS, limitType: 'UserByModelByMinute', source: 'x-ratelimit-timeremaining', scope: 'model', account: 'K1' };
      await store.applyCooldown(alice, M, minuteBlock, T0 + 7);
      await store.uncount(s2, T0 + 7);
      await store.release(s2, {}, T0 + 7);
      expect(await probe(T0 + 8)).toEqual({ ok: false, refusal: { kind: 'blocked', block: minuteBlock } });
      // In the next minute window the first probe goes again, whatever is in flight.
      leaseOf(await reserve(store, alice, T0 + MINUTE_MS + 1, limits));
      leaseOf(await probe(T0 + MINUTE_MS + 2));
    });

    it('a probe answered 2xx lets the next probe go once every other request of the (owner, model) is answered 2xx', async () => {
      const store = await makeStore();
      const probe = () => store.reserve({ owner: alice, model: M, account: 'K1', now: T0 + 5, limits: null, probe: true });
      const send = leaseOf(await reserve(store, alice, T0, { perMinute: 1, perDay: 100, concurrent: 10 }));
      const first = leaseOf(await probe());
      await store.answered?.(first);
      // Another model's request in flight holds nothing back.
      leaseOf(await reserve(store, alice, T0 + 5, null, OTHER));
      expect(await probe()).toEqual({ ok: false, refusal: { kind: 'probing' } });
      // Every request counted is answered 2xx (its body may still be read): upstream had room for
      // them all, the forecast was wrong.
      await store.answered?.(send);
      const second = leaseOf(await probe());
      expect(second.positions.minute).toBe(3);
      expect(await probe()).toEqual({ ok: false, refusal: { kind: 'probing' } });
    });

    it('without limits (a probe), only blocks refuse', async () => {
      const store = await makeStore();
      const results = await Promise.all(Array.from({ length: 6 }, () => reserve(store, alice, T0)));
      expect(results.every((r) => r.ok)).toBe(true);
    });

    it('stated limits: a confirmed one whose window the counts filled blocks like a cooldown until the window ends', async () => {
      const store = await makeStore();
      await store.noteLimit(alice, M, 'UserByModelByMinute', { limit: 2, confirmed: true, at: T0 });
      expect(store.limits(alice, M)).toEqual({ UserByModelByMinute: { limit: 2, confirmed: true, at: T0 } });
      expect(store.limits(alice, OTHER)).toEqual({});
      leaseOf(await reserve(store, alice, T0));
      leaseOf(await reserve(store, alice, T0 + 1));
      const spent = { limitType: 'UserByModelByMinute', limit: 2, until: T0 + MINUTE_MS };
      expect(store.blocks(alice, M, T0 + 2).spent).toEqual(spent);
      expect(await reserve(store, alice, T0 + 2)).toEqual({ ok: false, refusal: { kind: 'spent', window: spent } });
      expect(await store.nextExpiry(T0 + 2)).toBe(T0 + MINUTE_MS);
      expect(await store.unconfirm(alice, null)).toBe(1);
      expect(store.blocks(alice, M, T0 + 2).spent).toBeNull();
      expect(await store.unconfirm(null, null)).toBe(0);
      await store.noteLimit(alice, M, 'UserByModelByDay', { limit: 40, confirmed: false, at: T0 });
      await store.dropLimit(alice, M, 'UserByModelByMinute');
      expect(store.limits(alice, M)).toEqual({ UserByModelByDay: { limit: 40, confirmed: false, at: T0 } });
    });

    it('tells each expiry once, at its time, and gives the next one', async () => {
      const store = await makeStore();
      expect(await store.nextExpiry(T0)).toBeNull();
      await store.applyCooldown(alice, M, block(T0 + 5_000), T0);
      await store.applyCooldown(bob, M, block(T0 + 2_000, 'user', 'K2'), T0);
      expect(await store.nextExpiry(T0)).toBe(T0 + 2_000);
      expect(await store.sweep(T0 + 1_999)).toEqual([]);
      expect(await store.sweep(T0 + 2_000)).toEqual([{ owner: 'github:bob', model: null, account: 'K2', kind: 'user' }]);
      expect(await store.nextExpiry(T0 + 2_000)).toBe(T0 + 5_000);
      expect(await store.sweep(T0 + 9_000)).toEqual([{ owner: 'github:alice', model: M, account: 'K1', kind: 'cooldown' }]);
      expect(await store.sweep(T0 + 9_000)).toEqual([]);
      expect(await store.nextExpiry(T0 + 9_000)).toBeNull();
    });

    it('clears blocks of an owner and model, of an owner, or of all', async () => {
      const store = await makeStore();
      await store.applyCooldown(alice, M, block(T0 + 5_000), T0);
      await store.applyCooldown(alice, OTHER, block(T0 + 5_000), T0);
      await store.applyCooldown(alice, M, block(T0 + 5_000, 'user'), T0);
      await store.applyCooldown(bob, M, block(T0 + 5_000), T0);
      expect(await store.clearBlocks(alice, M)).toBe(1);
      expect(store.blocks(alice, M, T0).model).toBeNull();
      expect(store.blocks(alice, OTHER, T0).model).not.toBeNull();
      expect(await store.clearBlocks(alice, null)).toBe(2);
      expect(store.blocks(alice, OTHER, T0)).toMatchObject({ model: null, owner: null });
      expect(await store.clearBlocks(null, null)).toBe(1);
      expect(store.blocks(bob, M, T0).model).toBeNull();
    });

    it('a provisional owner merges into the real one: counts add up, the later block stands, old leases end there', async () => {
      const store = await makeStore();
      const provisional: QuotaOwner = { provider: 'github', id: 'key:K1' };
      const early = leaseOf(await reserve(store, provisional, T0));
      leaseOf(await reserve(store, alice, T0 + 10));
      await store.applyCooldown(provisional, M, block(T0 + 50_000), T0);
      await store.applyCooldown(alice, M, block(T0 + 20_000), T0);
      await store.noteLimit(provisional, M, 'UserByModelByDay', { limit: 7, confirmed: false, at: T0 });
      await store.merge(provisional, alice, T0 + 100);
      expect(modelCounts(store, alice, T0 + 100)).toEqual({ minute: 2, day: 2, tokensDay: 0, inFlight: 2 });
      expect(store.blocks(alice, M, T0 + 100).model?.until).toBe(T0 + 50_000);
      expect(store.limits(alice, M).UserByModelByDay?.limit).toBe(7);
      await store.release(early, { tokens: 5 }, T0 + 200);
      expect(modelCounts(store, alice, T0 + 200)).toEqual({ minute: 2, day: 2, tokensDay: 5, inFlight: 1 });
      expect(store.owners(T0 + 200).map((o) => o.owner)).toEqual(['github:alice']);
      expect(store.counts(alice, M)).toMatchObject({ inFlight: 1, ownerInFlight: 1 });
      expect(store.counts(bob, M)).toBeNull();
    });

    it('snapshot and restore carry counts, live blocks, caps and stated limits (not in-flight slots)', async () => {
      const store = await makeStore();
      leaseOf(await reserve(store, alice, T0));
      await store.applyCooldown(alice, M, block(T0 + 60_000), T0);
      await store.applyCooldown(alice, M, block(T0 + 10, 'user'), T0);
      await store.applyCooldown(bob, M, block(T0 + 1_000, 'concurrency'), T0);
      await store.noteLimit(alice, M, 'UserByModelByDay', { limit: 9, confirmed: true, at: T0 });
      const saved = JSON.parse(JSON.stringify(await store.snapshot(T0 + 100)));
      const copy = await makeStore();
      await copy.restore(saved);
      expect(modelCounts(copy, alice, T0 + 100)).toEqual({ minute: 1, day: 1, tokensDay: 0, inFlight: 0 });
      // The owner-wide block had ended by the snapshot: it is not carried.
      expect(copy.blocks(alice, M, T0 + 5)).toMatchObject({ model: block(T0 + 60_000), owner: null });
      expect(copy.blocks(bob, M, T0 + 100)).toMatchObject({ pause: block(T0 + 1_000, 'concurrency'), cap: { value: 1 } });
      expect(copy.limits(alice, M)).toEqual({ UserByModelByDay: { limit: 9, confirmed: true, at: T0 } });
      expect(await copy.snapshot(T0 + 100)).toEqual(saved);
    });
  });
}

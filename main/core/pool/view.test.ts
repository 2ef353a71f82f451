import { describe, expect, it } from 'vitest';
import { badCredentials, tooMany } from './test-support/fixtures';
import { consume, gpt41, makeHarness, mini, TOKENS, twoAccounts } from './test-support/harness';
import { settle } from './test-support/virtual-clock';
import { BUCKET_MS } from './parts';

describe('snapshot', () => {
  it('masks tokens as first 4, ellipsis, last 2', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    expect(h.pool.snapshot().accounts.map((a) => a.masked)).toEqual(['gho_…Xq', 'gho_…9U']);
  });

  it('shows usage with forecast limits and the tokens each body reported', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    await h.serve(mini);
    await h.serve(mini);
    await h.serve(gpt41);
    const held = await h.send(mini);
    const usage = h.pool.snapshot().accounts[0]!.usage;
    expect(usage).toEqual([
      { model: gpt41.id, minute: 1, day: 1, tokensDay: 12, inFlight: 0, limits: { perMinute: 10, perDay: 50, concurrent: 2 } },
      { model: mini.id, minute: 3, day: 3, tokensDay: 24, inFlight: 1, limits: { perMinute: 15, perDay: 150, concurrent: 5 } },
    ]);
    expect(h.pool.snapshot().traffic.inFlight).toBe(1);
    await consume(held);
    expect(h.pool.snapshot().accounts[0]!.usage[1]).toMatchObject({ inFlight: 0, tokensDay: 36 });
    await h.clock.advance(60_000);
    expect(h.pool.snapshot().accounts[0]!.usage[1]).toMatchObject({ minute: 0, day: 3 });
  });

  it('a lease is released once: a body read to its end, then destroyed, frees one slot and counts its tokens once', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    const a = await h.send();
    const b = await h.send();
    await consume(a);
    if (a.ok) a.reply.body.destroy();
    await settle(2);
    expect(h.pool.snapshot().accounts[0]!.usage[0]).toMatchObject({ inFlight: 1, tokensDay: 12 });
    await consume(b);
  });

  it('keeps traffic per account in 10-minute buckets', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day());
    await h.serve();
    await h.serve();
    const { traffic } = h.pool.snapshot();
    expect(traffic.bucketMs).toBe(BUCKET_MS);
    const start = Math.floor(h.clock.now() / BUCKET_MS) * BUCKET_MS;
    expect(traffic.history).toEqual([
      { start, account: 'GITHUB_TOKEN', served: 0, rotated: 1, rateLimited: 1 },
      { start, account: 'GITHUB_TOKEN2', served: 2, rotated: 0, rateLimited: 0 },
    ]);
    expect(h.pool.snapshot().accounts.map((a) => a.totals)).toEqual([
      { served: 0, rateLimited: 1, errors: 0 },
      { served: 2, rateLimited: 0, errors: 0 },
    ]);
    await h.clock.advance(7 * 60 * 60_000);
    expect(h.pool.snapshot().traffic.history).toEqual([]);
  });

  it('onChange fires on changes and can be unsubscribed', async () => {
    const h = makeHarness();
    let calls = 0;
    const off = h.pool.onChange(() => calls++);
    await h.accounts(twoAccounts());
    expect(calls).toBeGreaterThan(0);
    const seen = calls;
    await h.serve();
    expect(calls).toBeGreaterThan(seen);
    off();
    const after = calls;
    await h.serve();
    expect(calls).toBe(after);
  });

  it('tokens never appear in events, logs, errors, observations or the snapshot', async () => {
    const h = makeHarness({ maxWaitMs: 0, throttling: { enabled: true, minIntervalMs: 10 } });
    await h.accounts([...twoAccounts(), { key: 'GITHUB_TOKEN3', token: TOKENS.three, login: 'alice' }]);
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day());
    h.upstream.queue(TOKENS.two, mini.id, badCredentials());
    h.upstream.queue(TOKENS.two, gpt41.id, { status: 500, body: `upstream echoed ${TOKENS.two}` });
    const results = [await h.send(mini), await h.send(gpt41)];
    await h.clock.advance(5_000);
    for (const r of results) if (r.ok) await consume(r);
    const everything = JSON.stringify({
      snapshot: h.pool.snapshot(),
      events: h.events,
      logs: h.logs,
      observations: h.observations,
      errors: results.map((r) => (r.ok ? null : { message: r.error.message, body: r.error.toBody() })),
      ledger: await h.pool.serialize(),
    });
    for (const token of Object.values(TOKENS)) {
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(token.slice(4, -2));
    }
  });
});

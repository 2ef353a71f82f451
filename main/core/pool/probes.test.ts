import { describe, expect, it } from 'vitest';
import { tooMany } from './test-support/fixtures';
import { gate, ok, type ReplySpec } from './test-support/fake-upstream';
import { consume, gpt41, makeHarness, mini, TOKENS, twoAccounts, type Harness } from './test-support/harness';
import type { DispatchResult } from './types';

// gpt-4.1 on a free plan: 10 requests a minute. Once they are spent, the window ends ~60 s later,
// beyond the 20 s bounded wait, so the forecast would refuse; upstream decides with a probe.
const PER_MINUTE = 10;

async function spendMinute(h: Harness, token: string): Promise<void> {
  for (let i = 0; i < PER_MINUTE; i++) {
    const r = await h.serve(gpt41);
    expect(r.ok).toBe(true);
  }
  expect(h.upstream.callsFor(token, gpt41.id)).toHaveLength(PER_MINUTE);
}

const gated = (then: ReplySpec) => {
  const g = gate();
  return { g, spec: { gate: g, then } as ReplySpec };
};

async function settleAll(results: Promise<DispatchResult>[]): Promise<DispatchResult[]> {
  return Promise.all(
    results.map(async (p) => {
      const r = await p;
      await consume(r);
      return r;
    }),
  );
}

describe('probes: at most one in flight per (login, model)', () => {
  it('requests that find every account spent wait for the one probe; its 429 answers them all', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts().slice(0, 1));
    await spendMinute(h, TOKENS.one);
    // Upstream answers after 1 s, with the 59 s left of the window.
    const probe = gated(tooMany.minute(59));
    h.upstream.queue(TOKENS.one, gpt41.id, probe.spec);

    const results = Array.from({ length: 5 }, () => h.send(gpt41));
    await h.clock.advance(1_000);
    expect(h.upstream.calls).toHaveLength(PER_MINUTE + 1);

    probe.g.open();
    const answers = await settleAll(results);
    expect(answers.map((r) => !r.ok && r.error.status)).toEqual([429, 429, 429, 429, 429]);
    expect(answers.map((r) => !r.ok && r.error.retryAfterSeconds)).toEqual([59, 59, 59, 59, 59]);
    expect(h.upstream.calls).toHaveLength(PER_MINUTE + 1);
  });

  it('a probe answered 200 means the forecast was wrong: the next request probes, still one at a time', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts().slice(0, 1));
    await spendMinute(h, TOKENS.one);
    const probes = [gated(ok()), gated(ok()), gated(ok())];
    h.upstream.queue(TOKENS.one, gpt41.id, ...probes.map((p) => p.spec));

    const results = Array.from({ length: 3 }, () => h.send(gpt41));
    await h.clock.advance(0);
    expect(h.upstream.calls).toHaveLength(PER_MINUTE + 1);
    probes[0]!.g.open();
    await h.clock.advance(0);
    expect(h.upstream.calls).toHaveLength(PER_MINUTE + 2);
    probes[1]!.g.open();
    await h.clock.advance(0);
    expect(h.upstream.calls).toHaveLength(PER_MINUTE + 3);
    probes[2]!.g.open();
    const answers = await settleAll(results);
    expect(answers.every((r) => r.ok)).toBe(true);
  });

  it('another login is probed meanwhile, and other models are not held up', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    await spendMinute(h, TOKENS.one);
    for (let i = 0; i < PER_MINUTE; i++) expect((await h.serve(gpt41)).ok).toBe(true);
    expect(h.upstream.callsFor(TOKENS.two, gpt41.id)).toHaveLength(PER_MINUTE);
    const a = gated(tooMany.minute(60));
    const b = gated(tooMany.minute(60));
    h.upstream.queue(TOKENS.one, gpt41.id, a.spec);
    h.upstream.queue(TOKENS.two, gpt41.id, b.spec);

    const results = Array.from({ length: 4 }, () => h.send(gpt41));
    await h.clock.advance(0);
    expect(h.upstream.callsFor(TOKENS.one, gpt41.id)).toHaveLength(PER_MINUTE + 1);
    expect(h.upstream.callsFor(TOKENS.two, gpt41.id)).toHaveLength(PER_MINUTE + 1);
    const other = await h.serve(mini);
    expect(other.ok).toBe(true);

    a.g.open();
    b.g.open();
    const answers = await settleAll(results);
    expect(answers.map((r) => !r.ok && r.error.status)).toEqual([429, 429, 429, 429]);
    expect(h.upstream.calls.filter((c) => c.model === gpt41.id)).toHaveLength(2 * PER_MINUTE + 2);
  });

  it('the wait for a probe is bounded by maxWaitMs; then the request probes itself', async () => {
    const h = makeHarness({ maxWaitMs: 5_000 });
    await h.accounts(twoAccounts().slice(0, 1));
    await spendMinute(h, TOKENS.one);
    const first = gated(ok());
    h.upstream.queue(TOKENS.one, gpt41.id, first.spec, ok());
    const t0 = h.clock.now();

    const a = h.send(gpt41);
    const b = h.send(gpt41);
    await h.clock.advance(4_999);
    expect(h.upstream.calls).toHaveLength(PER_MINUTE + 1);
    await h.clock.advance(1);
    expect(h.upstream.calls).toHaveLength(PER_MINUTE + 2);
    expect(h.upstream.calls.at(-1)!.at - t0).toBe(5_000);
    first.g.open();
    const answers = await settleAll([a, b]);
    expect(answers.every((r) => r.ok)).toBe(true);
  });

  it('a waiting request whose client hangs up stops at once', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts().slice(0, 1));
    await spendMinute(h, TOKENS.one);
    const probe = gated(tooMany.minute(60));
    h.upstream.queue(TOKENS.one, gpt41.id, probe.spec);
    const running = h.send(gpt41);
    const client = new AbortController();
    const waiting = h.send(gpt41, { signal: client.signal });
    await h.clock.advance(0);
    client.abort();
    const gone = await waiting;
    expect(!gone.ok && gone.error.status).toBe(499);
    probe.g.open();
    expect((await running).ok).toBe(false);
    expect(h.upstream.calls).toHaveLength(PER_MINUTE + 1);
  });
});

import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../upstream/types';
import { GITHUB_MODELS_RETIREMENT } from '../upstream/retirement';
import { retiredGone, tooMany } from './test-support/fixtures';
import { makeHarness, mini, request, TOKENS, twoAccounts, type Harness } from './test-support/harness';
import { VirtualClock } from './test-support/virtual-clock';

const embedding: CatalogModel = { id: 'openai/text-embedding-3-small', name: 'Embedding 3 small', publisher: 'OpenAI', rate_limit_tier: 'embeddings' };
const MESSAGE = 'GitHub retired GitHub Models on 2026-07-30 — add an account of another provider';

function expectRetired(h: Harness) {
  const snap = h.pool.snapshot();
  expect(snap.accounts.map((a) => [a.key, a.status, a.statusReason])).toEqual([
    ['GITHUB_TOKEN', 'retired', MESSAGE],
    ['GITHUB_TOKEN2', 'retired', MESSAGE],
  ]);
  expect(snap.accounts.every((a) => a.blocks.length === 0 && a.userBlock === null)).toBe(true);
  expect(snap.warnings).toEqual([{ code: 'provider_retired', message: MESSAGE }]);
  expect(snap.currentKey).toBeNull();
}

async function expectRefusedWithoutUpstream(h: Harness, model: CatalogModel = mini) {
  const calls = h.upstream.calls.length;
  const result = await h.pool.dispatch({ ...request(model), kind: model === embedding ? 'embeddings' : 'chat' });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.status).toBe(503);
  expect(result.error.toBody()).toEqual({ error: { message: MESSAGE, type: 'service_unavailable', param: null, code: 'provider_retired' } });
  expect(h.upstream.calls).toHaveLength(calls);
}

describe('GitHub Models retired (410 Gone)', () => {
  it('a 410 on chat retires every account of the provider at once: one event, a 503 in OpenAI shape, nothing more sent', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts());
    h.upstream.always(TOKENS.one, '*', retiredGone());
    h.upstream.always(TOKENS.two, '*', retiredGone());
    const first = await h.send();
    expect(!first.ok && first.error.status).toBe(503);
    expect(!first.ok && first.error.code).toBe('provider_retired');
    // The second account is not tried: the 410 spoke for the provider.
    expect(h.upstream.calls.map((c) => c.token)).toEqual([TOKENS.one]);
    expect(h.kinds('provider-retired')).toEqual([{ kind: 'provider-retired', provider: 'github', message: MESSAGE, accounts: ['GITHUB_TOKEN', 'GITHUB_TOKEN2'] }]);
    expect(h.kinds('account-invalid')).toEqual([]);
    expect(h.kinds('cooldown-started')).toEqual([]);
    expectRetired(h);
    await expectRefusedWithoutUpstream(h);
    await expectRefusedWithoutUpstream(h, embedding);
    expect(h.kinds('provider-retired')).toHaveLength(1);
    expect(h.pool.isRetired('github')).toBe(true);
    // The 410 did not count against quota.
    expect(h.pool.snapshot().accounts[0]!.usage).toEqual([]);
  });

  it('a 410 on embeddings does the same', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, embedding.id, retiredGone());
    const result = await h.pool.dispatch({ ...request(embedding), kind: 'embeddings' });
    expect(!result.ok && result.error.code).toBe('provider_retired');
    expect(h.upstream.calls.map((c) => [c.kind, c.token])).toEqual([['embeddings', TOKENS.one]]);
    expectRetired(h);
    await expectRefusedWithoutUpstream(h);
  });

  it('the catalog answering 410 retires the provider the same way (pool.retire), once', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts());
    expect(h.pool.retire('github')).toBe(true);
    expect(h.pool.retire('github')).toBe(false);
    expect(h.kinds('provider-retired')).toHaveLength(1);
    expectRetired(h);
    await expectRefusedWithoutUpstream(h);
    expect(h.upstream.calls).toEqual([]);
  });

  it('is remembered across a restart: no request is sent, GET /user succeeding does not undo it, no second event', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, retiredGone());
    await h.send();
    const saved = JSON.parse(JSON.stringify(await h.pool.serialize())) as unknown;

    const r = makeHarness({ maxWaitMs: 0 }, new VirtualClock(h.clock.now()));
    await r.pool.restore(saved);
    await r.accounts(twoAccounts());
    expect(r.upstream.userCalls.length).toBeGreaterThan(0);
    expectRetired(r);
    await expectRefusedWithoutUpstream(r);
    expect(r.upstream.calls).toEqual([]);
    expect(r.kinds('provider-retired')).toEqual([]);
    // A manual reset clears marks and cooldowns, not the provider's retirement.
    await r.pool.reset({});
    expectRetired(r);
  });

  it('wins over cooldowns: a retired provider is not "rate-limited"', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day());
    h.upstream.queue(TOKENS.two, mini.id, retiredGone());
    const result = await h.send();
    expect(!result.ok && [result.error.status, result.error.code]).toEqual([503, 'provider_retired']);
    expect(h.pool.snapshot().accounts.map((a) => a.status)).toEqual(['retired', 'retired']);
    expect(GITHUB_MODELS_RETIREMENT.message).toBe(MESSAGE);
  });
});

import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '../upstream/types';
import { newAccount } from './account';
import { forecastFor } from './choose';
import { MemoryQuotaStore } from './memory-quota-store';
import { consume, gpt41, makeHarness, mini, TOKENS, twoAccounts } from './test-support/harness';

const deepseek: CatalogModel = { id: 'deepseek/DeepSeek-R1', name: 'DeepSeek-R1', publisher: 'DeepSeek', rate_limit_tier: 'custom' };
const gpt5: CatalogModel = { id: 'openai/gpt-5', name: 'gpt-5', publisher: 'OpenAI', rate_limit_tier: 'custom' };

describe('forecastFor', () => {
  const account = newAccount({ key: 'K', token: 'gho_forecast_token_xx', plan: 'free', disabled: false }, null);

  it('ready with what is left; paced at the minute cap until the window ends; spent at the day cap', () => {
    const store = new MemoryQuotaStore();
    const ledger = store.ledger;
    expect(forecastFor(store, account, mini, 0)).toEqual({ kind: 'ready', dayLeft: 150, minuteLeft: 15 });
    for (let i = 0; i < 15; i++) {
      ledger.begin('github:key:K', mini.id, 1_000);
      ledger.end('github:key:K', mini.id);
    }
    expect(forecastFor(store, account, mini, 2_000)).toEqual({ kind: 'paced', until: 61_000 });
    expect(forecastFor(store, account, mini, 61_000)).toEqual({ kind: 'ready', dayLeft: 135, minuteLeft: 15 });
  });

  it('paced (until a slot frees) at the concurrency cap', () => {
    const store = new MemoryQuotaStore();
    const ledger = store.ledger;
    ledger.begin('github:key:K', gpt41.id, 0);
    expect(forecastFor(store, account, gpt41, 0)).toMatchObject({ kind: 'ready' });
    ledger.begin('github:key:K', mini.id, 0); // the user's in-flight requests count over all models
    expect(forecastFor(store, account, gpt41, 0)).toEqual({ kind: 'paced', until: null });
    expect(forecastFor(store, account, mini, 0)).toMatchObject({ kind: 'ready' });
  });

  it('spent when the plan has no access to the model', () => {
    expect(forecastFor(new MemoryQuotaStore(), account, gpt5, 0)).toEqual({ kind: 'spent', until: null });
  });
});

describe('forecast through the pool', () => {
  it('prefers an account with quota left over one at its per-minute cap', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    for (let i = 0; i < 15; i++) {
      const r = await h.serve();
      expect(r.ok && r.account).toBe('GITHUB_TOKEN');
    }
    const next = await h.serve();
    expect(next.ok && next.account).toBe('GITHUB_TOKEN2');
  });

  it('paces within the per-minute cap (waits) rather than earn a 429', async () => {
    const h = makeHarness({ maxWaitMs: 60_000 });
    await h.accounts(twoAccounts().slice(0, 1));
    const t0 = h.clock.now();
    for (let i = 0; i < 15; i++) await h.serve();
    await h.clock.advance(5_000);
    const pending = h.send();
    await h.clock.advance(54_999);
    expect(h.upstream.calls).toHaveLength(15);
    await h.clock.advance(1);
    const result = await pending;
    expect(result.ok && result.waitedMs).toBe(55_000);
    expect(h.upstream.calls.at(-1)!.at - t0).toBe(60_000);
    await consume(result);
  });

  it('does not wait for a forecast slot beyond maxWaitMs: upstream decides at once', async () => {
    const h = makeHarness({ maxWaitMs: 20_000 });
    await h.accounts(twoAccounts().slice(0, 1));
    for (let i = 0; i < 15; i++) await h.serve();
    await h.clock.advance(5_000); // the minute window ends in 55 s, beyond the 20 s budget
    const result = await h.serve();
    expect(result.ok && result.waitedMs).toBe(0);
    expect(h.upstream.calls).toHaveLength(16);
  });

  it('waits for a concurrency slot, then goes as soon as one frees', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts().slice(0, 1));
    const held = await h.send(gpt41);
    const other = await h.send(gpt41);
    expect(held.ok && other.ok).toBe(true);
    const pending = h.send(gpt41);
    await h.clock.advance(3_000);
    expect(h.upstream.calls).toHaveLength(2);
    expect(h.pool.snapshot().traffic).toMatchObject({ inFlight: 2, queued: 1 });
    await consume(held);
    const result = await pending;
    expect(result.ok && result.waitedMs).toBe(3_000);
    await consume(other);
    await consume(result);
  });

  it('when the forecast says every account is spent, it still tries the likeliest one', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    const r = await h.serve(gpt5); // free plans: the table says no access
    expect(r.ok && r.account).toBe('GITHUB_TOKEN');

    const d = makeHarness();
    await d.accounts(twoAccounts().slice(0, 1));
    for (let i = 0; i < 8; i++) {
      await d.serve(deepseek);
      await d.clock.advance(60_000);
    }
    const ninth = await d.serve(deepseek); // 8 per day on free: spent by our count, upstream decides
    expect(ninth.ok).toBe(true);
    expect(d.upstream.calls).toHaveLength(9);
  });

  it('the likeliest is the account whose day window ends first', async () => {
    const h = makeHarness({ strategy: 'round-robin' });
    await h.accounts(twoAccounts());
    // GITHUB_TOKEN's day window opens first, so it also ends first.
    for (let i = 0; i < 16; i++) {
      await h.serve(deepseek);
      await h.clock.advance(31_000);
    }
    // Sticky would stay on GITHUB_TOKEN2 (used last); with both spent, the likeliest wins.
    h.settings.strategy = 'sticky';
    expect(h.pool.snapshot().currentKey).toBe('GITHUB_TOKEN2');
    const before = h.upstream.callsFor(TOKENS.one).length;
    const r = await h.serve(deepseek);
    expect(r.ok && r.account).toBe('GITHUB_TOKEN');
    expect(h.upstream.callsFor(TOKENS.one)).toHaveLength(before + 1);
    const usage = h.pool.snapshot().accounts.map((a) => a.usage.find((u) => u.model === deepseek.id)?.day);
    expect(usage).toEqual([9, 8]);
  });
});

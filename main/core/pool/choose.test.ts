import { describe, expect, it } from 'vitest';
import { type AccountState, newAccount } from './account';
import { type Candidate, type Forecast, pickLikeliest, pickReady } from './choose';
import { makeHarness, TOKENS } from './test-support/harness';

const acc = (key: string): AccountState => newAccount({ key, token: `gho_${key}_xxxxxxxx`, plan: 'free', disabled: false }, null);
const cand = (key: string, index: number, forecast: Forecast): Candidate => ({ account: acc(key), index, forecast });
const ready = (dayLeft: number, minuteLeft = 10): Forecast => ({ kind: 'ready', dayLeft, minuteLeft });

describe('pickReady', () => {
  const list = [cand('A', 0, ready(5)), cand('B', 1, ready(9)), cand('C', 2, ready(9, 12))];

  it('sticky stays on the current account while it is ready, else the first in order', () => {
    expect(pickReady('sticky', list, { current: 'B', lastIndex: -1 })?.account.key).toBe('B');
    expect(pickReady('sticky', list.slice(1), { current: 'A', lastIndex: -1 })?.account.key).toBe('B');
    expect(pickReady('sticky', [], { current: 'A', lastIndex: -1 })).toBeUndefined();
  });

  it('round robin takes the next after the one used last, wrapping around', () => {
    expect(pickReady('round-robin', list, { current: null, lastIndex: 0 })?.account.key).toBe('B');
    expect(pickReady('round-robin', list, { current: null, lastIndex: 2 })?.account.key).toBe('A');
    expect(pickReady('round-robin', [list[0]!, list[2]!], { current: null, lastIndex: 0 })?.account.key).toBe('C');
  });

  it('most-quota takes the most left today, then this minute', () => {
    expect(pickReady('most-quota', list, { current: 'A', lastIndex: -1 })?.account.key).toBe('C');
  });
});

describe('pickLikeliest', () => {
  it('prefers the account whose counted window ends soonest; no-access plans last', () => {
    const list = [
      cand('A', 0, { kind: 'spent', until: null }),
      cand('B', 1, { kind: 'spent', until: 5_000 }),
      cand('C', 2, { kind: 'spent', until: 3_000 }),
    ];
    expect(pickLikeliest(list, { current: null, lastIndex: -1 })?.account.key).toBe('C');
    expect(pickLikeliest([list[0]!, list[1]!], { current: null, lastIndex: -1 })?.account.key).toBe('B');
  });

  it('among equals prefers the current account', () => {
    const list = [cand('A', 0, { kind: 'spent', until: null }), cand('B', 1, { kind: 'spent', until: null })];
    expect(pickLikeliest(list, { current: 'B', lastIndex: -1 })?.account.key).toBe('B');
  });
});

describe('strategies through the pool', () => {
  const three = [
    { key: 'GITHUB_TOKEN', token: TOKENS.one, login: 'alice' },
    { key: 'GITHUB_TOKEN2', token: TOKENS.two, login: 'bob' },
    { key: 'GITHUB_TOKEN3', token: TOKENS.three, login: 'carol' },
  ];

  it('sticky keeps every request on the current account', async () => {
    const h = makeHarness();
    await h.accounts(three);
    const served = [];
    for (let i = 0; i < 4; i++) served.push(await h.serve());
    expect(served.map((r) => r.ok && r.account)).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN', 'GITHUB_TOKEN', 'GITHUB_TOKEN']);
    expect(h.pool.snapshot().currentKey).toBe('GITHUB_TOKEN');
  });

  it('round robin cycles, and currentKey follows it', async () => {
    const h = makeHarness({ strategy: 'round-robin' });
    await h.accounts(three);
    const served = [];
    for (let i = 0; i < 4; i++) served.push(await h.serve());
    expect(served.map((r) => r.ok && r.account)).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN2', 'GITHUB_TOKEN3', 'GITHUB_TOKEN']);
    expect(h.pool.snapshot().currentKey).toBe('GITHUB_TOKEN');
    expect(h.pool.snapshot().accounts.map((a) => a.isCurrent)).toEqual([true, false, false]);
  });

  it('round robin skips a disabled account and wraps around', async () => {
    const h = makeHarness({ strategy: 'round-robin' });
    await h.accounts([three[0]!, { ...three[1]!, disabled: true }, three[2]!]);
    const served = [];
    for (let i = 0; i < 4; i++) served.push(await h.serve());
    expect(served.map((r) => r.ok && r.account)).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN3', 'GITHUB_TOKEN', 'GITHUB_TOKEN3']);
  });

  it('sticky moves to the first account in order when the current one is disabled', async () => {
    const h = makeHarness();
    await h.accounts(three);
    await h.serve();
    await h.accounts([{ ...three[0]!, disabled: true }, three[1]!, three[2]!]);
    const served = [];
    for (let i = 0; i < 2; i++) served.push(await h.serve());
    expect(served.map((r) => r.ok && r.account)).toEqual(['GITHUB_TOKEN2', 'GITHUB_TOKEN2']);
  });

  it('most-quota picks the account with the most forecast quota left for the model', async () => {
    const h = makeHarness({ strategy: 'round-robin' });
    await h.accounts(three);
    for (let i = 0; i < 4; i++) await h.serve(); // day counts: 2, 1, 1
    h.settings.strategy = 'most-quota';
    const a = await h.serve(); // 2, 2, 1 after this
    const b = await h.serve();
    expect([a.ok && a.account, b.ok && b.account]).toEqual(['GITHUB_TOKEN2', 'GITHUB_TOKEN3']);
  });

  it('most-quota counts the plan: business has more daily quota than free', async () => {
    const h = makeHarness({ strategy: 'most-quota' });
    await h.accounts([
      { key: 'GITHUB_TOKEN', token: TOKENS.one, login: 'alice' },
      { key: 'GITHUB_TOKEN2', token: TOKENS.two, login: 'bob', plan: 'business' },
    ]);
    const r = await h.serve();
    expect(r.ok && r.account).toBe('GITHUB_TOKEN2');
  });
});

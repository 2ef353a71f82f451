import { describe, expect, it } from 'vitest';
import { UpstreamNetworkError } from '../upstream/types';
import { tooMany } from './test-support/fixtures';
import { makeHarness, mini, TOKENS, twoAccounts } from './test-support/harness';

describe('setAccounts', () => {
  it('resolves each login with GET /user', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    expect(h.pool.snapshot().accounts.map((a) => [a.key, a.login, a.status, a.avatarUrl])).toEqual([
      ['GITHUB_TOKEN', 'alice', 'ok', 'https://avatars.example/alice'],
      ['GITHUB_TOKEN2', 'bob', 'ok', 'https://avatars.example/bob'],
    ]);
    // An unchanged token is not checked again.
    await h.accounts(twoAccounts());
    expect(h.upstream.userCalls).toHaveLength(2);
  });

  it('a 401 from /user marks the account invalid and it is never used', async () => {
    const h = makeHarness();
    await h.accounts([{ key: 'GITHUB_TOKEN', token: TOKENS.one, login: null }, twoAccounts()[1]!]);
    expect(h.kinds('account-invalid')).toEqual([{ kind: 'account-invalid', account: 'GITHUB_TOKEN', login: null, reason: 'Bad credentials' }]);
    expect(h.pool.snapshot().accounts[0]).toMatchObject({ status: 'invalid', statusReason: 'Bad credentials' });
    const result = await h.serve();
    expect(result.ok && result.account).toBe('GITHUB_TOKEN2');
    expect(h.upstream.callsFor(TOKENS.one)).toHaveLength(0);
  });

  it('an unreachable /user keeps the account checking, and still usable', async () => {
    const h = makeHarness();
    h.upstream.userFails(TOKENS.one, new UpstreamNetworkError('connection_refused', 'api.github.com: connection refused'));
    await h.pool.setAccounts([{ key: 'GITHUB_TOKEN', token: TOKENS.one, plan: 'free', disabled: false }]);
    const view = h.pool.snapshot().accounts[0]!;
    expect(view).toMatchObject({ status: 'checking', login: null });
    expect(view.statusReason).toContain('connection refused');
    const result = await h.serve();
    expect(result.ok && result.account).toBe('GITHUB_TOKEN');

    // Once /user answers, the provisional ledger joins the login's, counts and blocks included.
    h.upstream.queue(TOKENS.one, mini.id, tooMany.minute(42));
    await h.send();
    h.upstream.user(TOKENS.one, 'alice');
    await h.pool.setAccounts([{ key: 'GITHUB_TOKEN', token: TOKENS.one, plan: 'free', disabled: false }]);
    const after = h.pool.snapshot().accounts[0]!;
    expect(after).toMatchObject({ status: 'ok', login: 'alice' });
    expect(after.usage).toMatchObject([{ model: mini.id, day: 1 }]);
    expect(after.blocks).toMatchObject([{ model: mini.id, limitType: 'UserByModelByMinute' }]);
  });

  it('flags two tokens of one login: event, warning naming both keys, sharesQuotaWith', async () => {
    const h = makeHarness();
    const accounts = [
      { key: 'GITHUB_TOKEN', token: TOKENS.one, login: 'alice' },
      { key: 'GITHUB_TOKEN2', token: TOKENS.two, login: 'alice' },
      { key: 'GITHUB_TOKEN3', token: TOKENS.three, login: 'carol' },
    ];
    await h.accounts(accounts);
    expect(h.kinds('duplicate-login')).toEqual([{ kind: 'duplicate-login', login: 'alice', accounts: ['GITHUB_TOKEN', 'GITHUB_TOKEN2'] }]);
    const warning = h.logs.find((l) => l.level === 'warn' && l.obj.tag === 'duplicate-login');
    expect(warning?.message).toContain('GITHUB_TOKEN');
    expect(warning?.message).toContain('GITHUB_TOKEN2');
    expect(h.pool.snapshot().accounts.map((a) => a.sharesQuotaWith)).toEqual([['GITHUB_TOKEN2'], ['GITHUB_TOKEN'], []]);
    await h.accounts(accounts);
    expect(h.kinds('duplicate-login')).toHaveLength(1);
  });

  it('two tokens of one login share one ledger', async () => {
    const h = makeHarness({ strategy: 'round-robin' });
    await h.accounts([
      { key: 'GITHUB_TOKEN', token: TOKENS.one, login: 'alice' },
      { key: 'GITHUB_TOKEN2', token: TOKENS.two, login: 'alice' },
    ]);
    await h.serve();
    await h.serve();
    expect(h.pool.snapshot().accounts.map((a) => a.usage[0]?.day)).toEqual([2, 2]);
  });

  it('removed accounts vanish; order is preference', async () => {
    const h = makeHarness();
    await h.accounts(twoAccounts());
    await h.serve();
    await h.accounts([twoAccounts()[1]!]);
    expect(h.pool.snapshot().accounts.map((a) => a.key)).toEqual(['GITHUB_TOKEN2']);
    expect(h.pool.snapshot().currentKey).toBe('GITHUB_TOKEN2');
    await h.accounts([twoAccounts()[1]!, twoAccounts()[0]!]);
    const r = await h.serve();
    expect(r.ok && r.account).toBe('GITHUB_TOKEN2');
  });

  it('disabled accounts are never used and not counted as blocked', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts([{ ...twoAccounts()[0]!, disabled: true }, twoAccounts()[1]!]);
    const r = await h.serve();
    expect(r.ok && r.account).toBe('GITHUB_TOKEN2');
    expect(h.pool.snapshot().accounts[0]).toMatchObject({ status: 'disabled', disabled: true, isCurrent: false });
  });

  it('with no usable account: 503, not a 429', async () => {
    const h = makeHarness();
    await h.accounts([]);
    const r = await h.send();
    expect(!r.ok && r.error).toMatchObject({ status: 503, code: 'no_accounts' });
  });
});

import { describe, expect, it } from 'vitest';
import { badCredentials, forbidden, tooMany } from './test-support/fixtures';
import { gpt41, makeHarness, mini, TOKENS } from './test-support/harness';

const three = [
  { key: 'GITHUB_TOKEN', token: TOKENS.one, login: 'alice' },
  { key: 'GITHUB_TOKEN2', token: TOKENS.two, login: 'bob' },
  { key: 'GITHUB_TOKEN3', token: TOKENS.three, login: 'carol' },
];

/** alice: mini cooling + gpt-4.1 forbidden; bob: user-wide cooldown; carol: invalid. */
async function troubled() {
  const h = makeHarness({ maxWaitMs: 0, strategy: 'round-robin' });
  await h.accounts(three);
  h.upstream.queue(TOKENS.one, mini.id, tooMany.day());
  expect((await h.serve(mini)).ok).toBe(true);
  h.upstream.queue(TOKENS.three, gpt41.id, badCredentials());
  h.upstream.queue(TOKENS.one, gpt41.id, forbidden());
  expect((await h.serve(gpt41)).ok).toBe(true);
  h.upstream.queue(TOKENS.two, mini.id, tooMany.userMinute());
  expect((await h.send(mini)).ok).toBe(false);
  const [alice, bob, carol] = h.pool.snapshot().accounts;
  expect(alice!.blocks.map((b) => [b.model, b.reason])).toEqual([
    [gpt41.id, 'forbidden'],
    [mini.id, 'rate-limit'],
  ]);
  expect(bob!.userBlock?.limitType).toBe('UserByMinute');
  expect(carol!.status).toBe('invalid');
  return h;
}

describe('reset', () => {
  it('one (account, model), then one account, then everything', async () => {
    const h = await troubled();
    expect(await h.pool.reset({ account: 'GITHUB_TOKEN', model: mini.id })).toBe(1);
    let [alice] = h.pool.snapshot().accounts;
    expect(alice!.blocks.map((b) => b.model)).toEqual([gpt41.id]);

    expect(await h.pool.reset({ account: 'GITHUB_TOKEN' })).toBe(1);
    [alice] = h.pool.snapshot().accounts;
    expect(alice!.blocks).toEqual([]);

    expect(await h.pool.reset({})).toBe(2);
    const views = h.pool.snapshot().accounts;
    expect(views.map((v) => v.status)).toEqual(['ok', 'ok', 'ok']);
    expect(views.every((v) => v.blocks.length === 0 && v.userBlock === null)).toBe(true);
    expect(h.kinds('manual-reset')).toEqual([
      { kind: 'manual-reset', account: 'GITHUB_TOKEN', model: mini.id },
      { kind: 'manual-reset', account: 'GITHUB_TOKEN', model: null },
      { kind: 'manual-reset', account: null, model: null },
    ]);
    expect(h.pool.snapshot().exhaustedModels).toEqual([]);
  });

  it('one model on every account', async () => {
    const h = await troubled();
    expect(await h.pool.reset({ model: gpt41.id })).toBe(1);
    expect(await h.pool.reset({ model: mini.id })).toBe(1);
    const [alice, bob, carol] = h.pool.snapshot().accounts;
    expect(alice!.blocks).toEqual([]);
    expect(bob!.userBlock).not.toBeNull(); // user-wide, not a model's
    expect(carol!.status).toBe('invalid');
  });

  it('everything at once, and the next request goes upstream again', async () => {
    const h = await troubled();
    expect(await h.pool.reset({})).toBe(4);
    h.settings.strategy = 'sticky';
    const calls = h.upstream.calls.length;
    const result = await h.serve(mini);
    expect(result.ok).toBe(true);
    expect(h.upstream.calls.length).toBe(calls + 1);
  });

  it('clears an open circuit', async () => {
    const h = makeHarness({ maxWaitMs: 0 });
    await h.accounts(three.slice(0, 1));
    h.upstream.always(TOKENS.one, '*', { status: 500, body: 'boom' });
    for (let i = 0; i < 2; i++) {
      const p = h.send();
      await h.clock.advance(5_000);
      await p;
    }
    expect(h.pool.snapshot().accounts[0]!.circuit).toBe('open');
    expect(await h.pool.reset({ account: 'GITHUB_TOKEN' })).toBe(1);
    expect(h.pool.snapshot().accounts[0]).toMatchObject({ circuit: 'closed', failures: 0, status: 'ok' });
  });

  it('an unknown account clears nothing', async () => {
    const h = await troubled();
    expect(await h.pool.reset({ account: 'NOPE' })).toBe(0);
  });
});

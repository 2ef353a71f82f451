import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatorBaseUrlEnv } from '../simulator';
import { startHarness, type Harness } from './test-support/harness';
import { startProviderHarness } from './test-support/provider-harness';

/**
 * Owners learned from the providers' own answers (providers.md §0.4), end to end: the real engine
 * in front of the simulator, the official SDK as client. Groq's 429 names the organisation;
 * OpenRouter's GET /key names the account. Keys of one owner are one quota; the later is a spare.
 */
const open: Harness[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function start(env: Record<string, string>, simulator: NonNullable<Parameters<typeof startProviderHarness>[0]>) {
  const h = await startProviderHarness(simulator, env);
  open.push(h);
  return h;
}

const GROQ_MODEL = 'llama-3.3-70b-versatile';
const OTHER_GROQ_MODEL = 'llama-3.1-8b-instant';
const FREE_MODEL = 'meta-llama/llama-3.3-70b-instruct:free';
const ask = (client: OpenAI, model: string) =>
  client.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse()
    .then(
      ({ response }) => ({ status: 200, account: response.headers.get('x-switchyard-account') }),
      (error: unknown) => ({ status: (error as InstanceType<typeof OpenAI.APIError>).status ?? 0, account: null }),
    );
const upstreamRequests = (h: Harness) => h.sim.stats().totals.requests;
const account = (h: Harness, key: string) => h.engine.snapshot().accounts.find((a) => a.key === key)!;

describe('owners named by the provider', () => {
  it('two Groq keys of one organisation: its 429 names the organisation, both keys count one quota, the second is a spare', async () => {
    const h = await start(
      { GROQ_API_KEY: 'gsk_sameOrgA1', GROQ_API_KEY2: 'gsk_sameOrgB2' },
      {
        keys: [
          { provider: 'groq', key: 'gsk_sameOrgA1', owner: 'org_shared' },
          { provider: 'groq', key: 'gsk_sameOrgB2', owner: 'org_shared' },
        ],
        providers: { groq: { limits: { rpm: 1 } } },
      },
    );
    const atStart = upstreamRequests(h);
    expect(await ask(h.client, `groq/${GROQ_MODEL}`)).toEqual({ status: 200, account: 'GROQ_API_KEY' });
    expect(upstreamRequests(h)).toBe(atStart + 1);
    // Before any 429, nothing says who owns the keys.
    expect(account(h, 'GROQ_API_KEY').login).toMatch(/^key-/);
    // The organisation's one request a minute is spent: each key's 429 names org_shared.
    expect((await ask(h.client, `groq/${GROQ_MODEL}`)).status).toBe(429);
    for (const key of ['GROQ_API_KEY', 'GROQ_API_KEY2']) {
      const a = account(h, key);
      expect(a.login).toBe('org_shared');
      expect(a.blocks.map((b) => b.model)).toEqual([GROQ_MODEL]);
    }
    expect(account(h, 'GROQ_API_KEY2').sharesQuotaWith).toEqual(['GROQ_API_KEY']);
    // One quota: a further request is refused here, without spending another 429 upstream.
    const before = upstreamRequests(h);
    expect((await ask(h.client, `groq/${GROQ_MODEL}`)).status).toBe(429);
    expect(upstreamRequests(h)).toBe(before);
    // Another model of the organisation still serves, from the first key: the second is a spare.
    expect(await ask(h.client, `groq/${OTHER_GROQ_MODEL}`)).toEqual({ status: 200, account: 'GROQ_API_KEY' });
    // The person is told: an event, a log line, the account listing.
    const events = await h.engine.getEvents({ kind: 'duplicate-login' });
    expect(events).toContainEqual(expect.objectContaining({ kind: 'duplicate-login', login: 'org_shared', accounts: ['GROQ_API_KEY', 'GROQ_API_KEY2'], provider: 'groq' }));
    expect(h.logs.some((l) => l.includes('same Groq owner org_shared') && l.includes('kept as a spare'))).toBe(true);
    const listing = await h.engine.listAccounts();
    expect(listing.find((l) => l.key === 'GROQ_API_KEY2')).toMatchObject({ spareOf: 'GROQ_API_KEY', note: expect.stringContaining('a spare') });
    expect(listing.find((l) => l.key === 'GROQ_API_KEY')?.spareOf).toBeUndefined();
  });

  it('two Groq organisations: two quotas, the second serves when the first is spent', async () => {
    const h = await start(
      { GROQ_API_KEY: 'gsk_orgWork01', GROQ_API_KEY2: 'gsk_orgHome02' },
      {
        keys: [
          { provider: 'groq', key: 'gsk_orgWork01', owner: 'org_work' },
          { provider: 'groq', key: 'gsk_orgHome02', owner: 'org_home' },
        ],
        providers: { groq: { limits: { rpm: 1 } } },
      },
    );
    expect(await ask(h.client, `groq/${GROQ_MODEL}`)).toEqual({ status: 200, account: 'GROQ_API_KEY' });
    expect(await ask(h.client, `groq/${GROQ_MODEL}`)).toEqual({ status: 200, account: 'GROQ_API_KEY2' });
    expect(account(h, 'GROQ_API_KEY').login).toBe('org_work');
    expect(account(h, 'GROQ_API_KEY').blocks.map((b) => b.model)).toEqual([GROQ_MODEL]);
    expect(account(h, 'GROQ_API_KEY2').blocks).toEqual([]);
    expect(account(h, 'GROQ_API_KEY2').sharesQuotaWith).toEqual([]);
    expect((await h.engine.listAccounts()).every((l) => l.spareOf === undefined)).toBe(true);
  });

  it('OpenRouter: GET /key names the account at start; a second key of it is a spare and only serves when the first cannot', async () => {
    const h = await start(
      { OPENROUTER_API_KEY: 'sk-or-v1-sameAcct1', OPENROUTER_API_KEY2: 'sk-or-v1-sameAcct2', OPENROUTER_API_KEY3: 'sk-or-v1-otherAcct' },
      {
        keys: [
          { provider: 'openrouter', key: 'sk-or-v1-sameAcct1', owner: 'acct1' },
          { provider: 'openrouter', key: 'sk-or-v1-sameAcct2', owner: 'acct1' },
          { provider: 'openrouter', key: 'sk-or-v1-otherAcct', owner: 'acct2' },
        ],
      },
    );
    expect(account(h, 'OPENROUTER_API_KEY').login).toBe('user_acct1');
    expect(account(h, 'OPENROUTER_API_KEY2').login).toBe('user_acct1');
    expect(account(h, 'OPENROUTER_API_KEY3').login).toBe('user_acct2');
    await h.engine.updateSettings({ strategy: 'round-robin' });
    const served = [];
    for (let i = 0; i < 4; i++) served.push((await ask(h.client, `openrouter/${FREE_MODEL}`)).account);
    // Round robin over capacity: the spare of acct1 is never chosen while its first key can serve.
    expect(new Set(served)).toEqual(new Set(['OPENROUTER_API_KEY', 'OPENROUTER_API_KEY3']));
    await h.engine.updateAccount('OPENROUTER_API_KEY', { disabled: true });
    expect((await ask(h.client, `openrouter/${FREE_MODEL}`)).status).toBe(200);
    expect((await ask(h.client, `openrouter/${FREE_MODEL}`)).account).not.toBe('OPENROUTER_API_KEY');
    expect(served).not.toContain('OPENROUTER_API_KEY2');
    const spare = (await h.engine.listAccounts()).find((l) => l.key === 'OPENROUTER_API_KEY2');
    expect(spare?.note).toContain('OpenRouter owner user_acct1');
  });

  it('Settings: a key of an OpenRouter account already present is added as a spare and says so; the same key twice is refused', async () => {
    const h = await start(
      { OPENROUTER_API_KEY: 'sk-or-v1-firstKey1' },
      {
        keys: [
          { provider: 'openrouter', key: 'sk-or-v1-firstKey1', owner: 'acct1' },
          { provider: 'openrouter', key: 'sk-or-v1-secondKy', owner: 'acct1' },
        ],
      },
    );
    const added = await h.engine.addAccount({ provider: 'openrouter', token: 'sk-or-v1-secondKy' });
    expect(added).toMatchObject({ ok: true, key: 'OPENROUTER_API_KEY2', note: expect.stringContaining('kept as a spare') });
    expect(JSON.stringify(added)).not.toContain('sk-or-v1-secondKy');
    const again = await h.engine.addAccount({ provider: 'openrouter', token: 'sk-or-v1-secondKy' });
    expect(again).toMatchObject({ ok: false, code: 'duplicate_token' });
  });

  it('the same key under two variables is one account; the second is refused with a warning', async () => {
    const h = await start({ GROQ_API_KEY: 'gsk_twiceSame1', GROQ_API_KEY2: 'gsk_twiceSame1' }, { keys: [{ provider: 'groq', key: 'gsk_twiceSame1', owner: 'org_one' }] });
    expect(h.engine.snapshot().accounts.map((a) => a.key)).toEqual(['GROQ_API_KEY']);
    expect(h.logs.some((l) => l.includes('GROQ_API_KEY2 is the same groq key as GROQ_API_KEY') && !l.includes('gsk_twiceSame1'))).toBe(true);
  });

  it('a named owner is remembered across a restart: the keys are one quota from the start', async () => {
    const env = { GROQ_API_KEY: 'gsk_keepOrgA1', GROQ_API_KEY2: 'gsk_keepOrgB2' };
    const h = await start(env, {
      keys: [
        { provider: 'groq', key: 'gsk_keepOrgA1', owner: 'org_kept' },
        { provider: 'groq', key: 'gsk_keepOrgB2', owner: 'org_kept' },
      ],
      providers: { groq: { limits: { rpm: 1 } } },
    });
    await ask(h.client, `groq/${GROQ_MODEL}`);
    await ask(h.client, `groq/${GROQ_MODEL}`);
    expect(account(h, 'GROQ_API_KEY2').login).toBe('org_kept');
    await h.close({ keepData: true, keepSim: true });
    open.splice(open.indexOf(h), 1);
    const again = await startHarness({ users: [], sim: h.sim, dataDir: h.dataDir, env: { ...simulatorBaseUrlEnv(h.sim.url), ...env } });
    open.push(again);
    expect(account(again, 'GROQ_API_KEY').login).toBe('org_kept');
    expect(account(again, 'GROQ_API_KEY2').sharesQuotaWith).toEqual(['GROQ_API_KEY']);
  });
});

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './test-support/harness';

const MINI = 'openai/gpt-4o-mini';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const ask = (h: Harness) =>
  fetch(`${h.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-engine-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('the engine across restarts', () => {
  it('remembers a daily block: after a restart no request goes upstream to rediscover it', async () => {
    const dataDir = await tempDir();
    const first = await startHarness({ dataDir });
    first.sim.control.exhaust('alice', MINI, 'UserByModelByDay');
    expect((await ask(first)).headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    await first.close({ keepData: true, keepSim: true });

    const second = await startHarness({ dataDir, sim: first.sim });
    cleanups.push(() => second.close({ keepData: true }));
    first.sim.control.resetStats();
    const blocked = second.engine.snapshot().accounts.find((a) => a.key === 'GITHUB_TOKEN')!;
    expect(blocked.blocks).toEqual([expect.objectContaining({ model: MINI, limitType: 'UserByModelByDay' })]);
    const response = await ask(second);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    const chats = first.sim.stats().recent.filter((r) => r.endpoint === 'chat');
    expect(chats.map((r) => r.login)).toEqual(['bob']);
    const events = await second.engine.getEvents();
    expect(events.filter((e) => e.kind === 'started')).toHaveLength(2);
    expect(new Set(events.map((e) => e.startId)).size).toBe(2);
  });

  it('survives a corrupt state file: reports it, sets it aside, and serves', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'state.json'), '{"version":1,"events":[{"trunc');
    const h = await startHarness({ dataDir });
    cleanups.push(() => h.close({ keepData: true }));
    expect((await ask(h)).status).toBe(200);
    const files = await readdir(dataDir);
    expect(files.some((f) => f.startsWith('state.json.corrupt-'))).toBe(true);
    expect(h.logs.some((l) => l.includes('"tag":"state"') && l.includes('set aside'))).toBe(true);
  });

  it('survives corrupt settings: defaults, reported, set aside', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'settings.json'), 'not json at all');
    const h = await startHarness({ dataDir });
    cleanups.push(() => h.close({ keepData: true }));
    expect((await ask(h)).status).toBe(200);
    expect((await readdir(dataDir)).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
  });

  it('keeps an account added at run time, and refuses a second token of the same login', async () => {
    const dataDir = await tempDir();
    const h = await startHarness({ dataDir, users: [{ token: 'ghp_aliceTOKEN0000000000000000000000001Xq', login: 'alice' }] });
    h.sim.control.addUser({ token: 'ghp_carolTOKEN000000000000000000000000Ca', login: 'carol' });
    h.sim.control.addUser({ token: 'ghp_carolSECOND00000000000000000000000Cb', login: 'carol' });
    const added = await h.engine.addAccount({ token: 'ghp_carolTOKEN000000000000000000000000Ca' });
    expect(added).toMatchObject({ ok: true, key: 'GITHUB_TOKEN2', login: 'carol', masked: 'ghp_…Ca' });
    const again = await h.engine.addAccount({ token: 'ghp_carolSECOND00000000000000000000000Cb' });
    expect(again).toMatchObject({ ok: false, code: 'duplicate_login' });
    expect(again.ok === false && again.message).toContain('GITHUB_TOKEN2');
    await h.close({ keepData: true, keepSim: true });

    const h2 = await startHarness({ dataDir, sim: h.sim, users: [{ token: 'ghp_aliceTOKEN0000000000000000000000001Xq', login: 'alice' }] });
    cleanups.push(() => h2.close({ keepData: true }));
    expect(h2.engine.snapshot().accounts.map((a) => [a.key, a.login])).toEqual([
      ['GITHUB_TOKEN', 'alice'],
      ['GITHUB_TOKEN2', 'carol'],
    ]);
  });

  it('flags two env tokens of one login: a warning naming both keys and a field in stats', async () => {
    const h = await startHarness({ users: [{ token: 'ghp_sameTOKENa000000000000000000000000001', login: 'same' }, { token: 'ghp_sameTOKENb000000000000000000000000002', login: 'same' }] });
    cleanups.push(() => h.close());
    const stats = (await (await fetch(`${h.origin}/v1/tokens/stats`)).json()) as { tokens: Array<{ key: string; sharesQuotaWith: string[] }> };
    expect(stats.tokens.map((t) => t.sharesQuotaWith)).toEqual([['GITHUB_TOKEN2'], ['GITHUB_TOKEN']]);
    const warning = h.logs.find((l) => l.includes('"level":40') && l.includes('GITHUB_TOKEN2'));
    expect(warning).toBeDefined();
    expect(warning).toContain('GITHUB_TOKEN"');
  });

  it('applies settings patches through the admin API without resetting what they leave out', async () => {
    const h = await startHarness();
    cleanups.push(() => h.close());
    const patch = (body: unknown) =>
      fetch(`${h.origin}/admin/api/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json', authorization: `Bearer ${h.engine.adminKey}` }, body: JSON.stringify(body) });
    expect((await patch({ throttling: { enabled: true, minIntervalMs: 700 }, strategy: 'round-robin' })).status).toBe(200);
    const res = await patch({ maxWaitMs: 1000 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ maxWaitMs: 1000, strategy: 'round-robin', throttling: { enabled: true, minIntervalMs: 700, maxQueue: 100 } });
    const bad = await patch({ port: 'x' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'port' } });
    expect(h.engine.snapshot().strategy).toBe('round-robin');
  });

  it('never lets concurrent settings changes undo each other (an account added while settings are saved)', async () => {
    const h = await startHarness({ users: [{ token: 'ghp_aliceTOKEN0000000000000000000000001Xq', login: 'alice' }] });
    cleanups.push(() => h.close());
    h.sim.control.addUser({ token: 'ghp_daveTOKEN0000000000000000000000000Dv', login: 'dave' });
    const [added] = await Promise.all([
      h.engine.addAccount({ token: 'ghp_daveTOKEN0000000000000000000000000Dv', plan: 'pro' }),
      ...Array.from({ length: 5 }, (_, i) => h.engine.updateSettings({ maxWaitMs: 1000 + i })),
      h.engine.updateSettings({ strategy: 'most-quota' }),
    ]);
    expect(added).toMatchObject({ ok: true, key: 'GITHUB_TOKEN2' });
    const saved = JSON.parse(await readFile(join(h.dataDir, 'settings.json'), 'utf8')) as { maxWaitMs: number; strategy: string; accounts: Array<{ key: string; plan: string }> };
    expect(saved.maxWaitMs).toBe(1004);
    expect(saved.strategy).toBe('most-quota');
    expect(saved.accounts).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'GITHUB_TOKEN2', plan: 'pro' })]));
  });
});


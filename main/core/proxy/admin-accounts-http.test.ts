import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PREFIX, ADMIN_ROUTES } from '../../../shared/admin-routes';
import { startSimulator, type Simulator } from '../../simulator';
import { startHarness, type Harness } from '../test-support/harness';

const CAROL = { token: 'ghp_carolTOKEN000000000000000000000000003', login: 'carol' };

describe('account names over the admin API (issue 15 item 12)', () => {
  let sim: Simulator;
  let h: Harness;
  beforeAll(async () => {
    sim = await startSimulator({ users: [{ token: 'ghp_aliceTOKEN0000000000000000000000001Xq', login: 'alice' }, CAROL] });
    h = await startHarness({ sim, users: [{ token: 'ghp_aliceTOKEN0000000000000000000000001Xq', login: 'alice' }] });
  });
  afterAll(async () => {
    await h.close();
    await sim.close();
  });

  const admin = (method: string, path: string, body?: unknown) =>
    fetch(`${h.origin}${path}`, { method, headers: { authorization: `Bearer ${h.engine.adminKey}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });

  it('refuses prototype names and odd characters with a 400 naming the rule, adding nothing', async () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'a b', '../x']) {
      const answer = await admin('POST', ADMIN_ROUTES.addAccount.path, { token: CAROL.token, key });
      expect(answer.status, key).toBe(400);
      const { error } = (await answer.json()) as { error: { param: string; message: string } };
      expect(error.param).toBe('key');
      expect(error.message).toContain('account name');
    }
    expect(h.engine.snapshot().accounts.map((a) => a.key)).toEqual(['GITHUB_TOKEN']);
  });

  it('refuses them in paths too', async () => {
    const answer = await admin('PATCH', `${ADMIN_PREFIX}/accounts/__proto__`, { disabled: true });
    expect(answer.status).toBe(400);
  });

  it('writes an ordinary name to secrets.json', async () => {
    const answer = await admin('POST', ADMIN_ROUTES.addAccount.path, { token: CAROL.token, key: 'work-laptop' });
    expect(((await answer.json()) as { ok: boolean }).ok).toBe(true);
    const secrets = JSON.parse(await readFile(join(h.dataDir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> };
    expect(Object.keys(secrets.secrets)).toEqual(['work-laptop']);
  });

  it('reads the events of one account, by `account` or by its older name `key`', async () => {
    for (const param of ['account', 'key']) {
      const answer = await admin('GET', `${ADMIN_ROUTES.events.path}?${param}=work-laptop&kind=account-added`);
      expect(answer.status, param).toBe(200);
      const events = (await answer.json()) as { kind: string; account: string }[];
      expect(events.map((e) => [e.kind, e.account]), param).toEqual([['account-added', 'work-laptop']]);
    }
    const unknown = await admin('GET', `${ADMIN_ROUTES.events.path}?kind=no-such-kind`);
    expect(unknown.status).toBe(400);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY_HEADER, ADMIN_ROUTES } from '../../../shared/admin-routes';
import type { AccountListing } from '../../../shared/api';
import { ALICE, startHarness, type Harness } from '../test-support/harness';

const CAROL = { token: 'ghp_carolTOKEN000000000000000000000000Ca', login: 'carol' };

describe('listing accounts with where they come from (Settings)', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('names environment accounts apart from added ones, over the admin API; environment ones can be disabled, not removed', async () => {
    h = await startHarness({ users: [ALICE] });
    h.sim.control.addUser(CAROL);
    expect(await h.engine.addAccount({ token: CAROL.token })).toMatchObject({ ok: true, key: 'GITHUB_TOKEN2' });
    const list = async () => {
      const response = await fetch(`${h.origin}${ADMIN_ROUTES.listAccounts.path}`, { headers: { [ADMIN_KEY_HEADER]: h.engine.adminKey } });
      expect(response.status).toBe(200);
      return (await response.json()) as AccountListing[];
    };
    expect(await list()).toEqual([
      { key: 'GITHUB_TOKEN', plan: 'free', disabled: false, source: 'environment' },
      { key: 'GITHUB_TOKEN2', plan: 'free', disabled: false, source: 'added' },
    ]);
    await h.engine.updateAccount('GITHUB_TOKEN', { disabled: true });
    expect((await list())[0]).toEqual({ key: 'GITHUB_TOKEN', plan: 'free', disabled: true, source: 'environment' });
    await expect(h.engine.removeAccount('GITHUB_TOKEN')).rejects.toThrow(/comes from the environment/);
    const unauthorised = await fetch(`${h.origin}${ADMIN_ROUTES.listAccounts.path}`);
    expect(unauthorised.status).toBe(401);
    expect(JSON.stringify(await list())).not.toContain(ALICE.token);
  });
});

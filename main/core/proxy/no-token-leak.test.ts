import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALICE, BOB, startHarness } from '../test-support/harness';

describe('tokens never leak', () => {
  it('appear in no log line, response, error or state file', async () => {
    const h = await startHarness({ users: [ALICE, BOB, { token: 'ghp_badTOKEN00000000000000000000000000000zz', login: 'ghost' }] });
    h.sim.control.removeUser('ghost');
    const bodies: string[] = [];
    const grab = async (r: Response) => bodies.push(JSON.stringify([...r.headers]) + (await r.text()));
    try {
      h.sim.control.exhaust('alice', 'openai/gpt-4o-mini');
      for (let i = 0; i < 3; i++) await grab(await fetch(`${h.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) }));
      h.sim.control.exhaust('bob', 'openai/gpt-4o-mini');
      await grab(await fetch(`${h.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) }));
      await grab(await fetch(`${h.origin}/v1/tokens/stats`));
      await grab(await fetch(`${h.origin}/health`));
      bodies.push(JSON.stringify(h.engine.snapshot()), JSON.stringify(await h.engine.getEvents()));
      await h.close({ keepData: true });
      for (const file of await readdir(h.dataDir)) {
        if (file === 'secrets.json') continue; // the headless secret store itself (0600)
        bodies.push(await readFile(join(h.dataDir, file), 'utf8').catch(() => ''));
      }
      const everything = [...bodies, ...h.logs].join('\n');
      expect(h.logs.length).toBeGreaterThan(0);
      for (const token of [ALICE.token, BOB.token, 'ghp_badTOKEN00000000000000000000000000000zz']) {
        expect(everything).not.toContain(token);
        expect(everything).not.toContain(token.slice(4, 20));
      }
      expect(everything).toContain('ghp_…Xq');
    } finally {
      await h.close();
    }
  });
});

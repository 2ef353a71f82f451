import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './test-support/harness';

/** Issue 15 item 13: a day-long block learned just before a crash is not forgotten. */
let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const MINI = 'openai/gpt-4o-mini';

describe('a new long block', () => {
  it('is in state.json on disk when the client has its answer, without waiting for the debounced save', async () => {
    h = await startHarness();
    h.sim.control.exhaust('alice', MINI, 'UserByModelByDay');
    const { response } = await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-switchyard-account')).toBe('GITHUB_TOKEN2');
    // Read at once: the debounced save (about a second later) has not run yet, so only the
    // durable write before the retry can have put the block there.
    const saved = await readFile(join(h.dataDir, 'state.json'), 'utf8');
    expect(saved).toContain('UserByModelByDay');
    expect(saved).toContain(MINI);
  });
});

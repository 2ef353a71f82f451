import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../test-support/harness';

describe('ordinary refusals are not logged as crashes (issue 15 item 18)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ users: [] });
  });
  afterAll(() => h.close());

  it('a 503 no_accounts logs one warning with its code, no error level, no stack', async () => {
    const answer = await fetch(`${h.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) });
    expect(answer.status).toBe(503);
    const lines = h.logs.map((line) => JSON.parse(line) as { level: number; code?: string; err?: unknown; msg: string });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    const refusal = lines.filter((l) => l.code === 'no_accounts');
    expect(refusal).toHaveLength(1);
    expect(refusal[0]?.level).toBe(40);
    expect(JSON.stringify(refusal[0])).not.toContain('stack');
  });
});

import { describe, expect, it } from 'vitest';
import { tooMany } from './test-support/fixtures';
import { consume, makeHarness, mini, TOKENS, twoAccounts } from './test-support/harness';

const throttling = { enabled: true, minIntervalMs: 2_000, maxQueue: 100, maxWaitMs: 60_000 };

describe('request run', () => {
  it('waits in the throttle before choosing: an account that cooled meanwhile is never chosen, one choice, no rotation', async () => {
    const h = makeHarness({ throttling });
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day());
    const first = h.send();
    const second = h.send(); // waits 2 s in the throttle, chooses after
    const a = await first;
    // The first request met the 429 on account one and moved on.
    expect(a.ok && [a.account, a.attempts]).toEqual(['GITHUB_TOKEN2', 2]);
    await consume(a);
    await h.clock.advance(2_000);
    const b = await second;
    expect(b.ok && [b.account, b.attempts, b.waitedMs]).toEqual(['GITHUB_TOKEN2', 1, 2_000]);
    await consume(b);
    expect(h.upstream.calls.map((c) => c.token)).toEqual([TOKENS.one, TOKENS.two, TOKENS.two]);
    expect(h.kinds('rotated')).toHaveLength(1);
  });

  it('a request refused after its throttle wait still counts the wait and sends nothing', async () => {
    const h = makeHarness({ throttling, maxWaitMs: 0 });
    await h.accounts(twoAccounts());
    h.upstream.queue(TOKENS.one, mini.id, tooMany.day());
    h.upstream.queue(TOKENS.two, mini.id, tooMany.day());
    const first = h.send();
    const second = h.send();
    expect((await first).ok).toBe(false);
    await h.clock.advance(2_000);
    const b = await second;
    expect(!b.ok && b.error.status).toBe(429);
    expect(h.upstream.calls).toHaveLength(2);
  });
});

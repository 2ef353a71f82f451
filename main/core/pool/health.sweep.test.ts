import { describe, expect, it } from 'vitest';
import { MemoryQuotaStore } from './memory-quota-store';
import { SWEEP_EVERY_MS } from './health';
import { tooMany } from './test-support/fixtures';
import { makeHarness, mini, TOKENS, twoAccounts } from './test-support/harness';
import { VirtualClock } from './test-support/virtual-clock';

/** An in-memory store that counts its walks over every owner, and lets a test play another replica's change. */
class CountingStore extends MemoryQuotaStore {
  walks = 0;
  private listeners: Array<() => void> = [];
  override async sweep(now: number) {
    this.walks++;
    return super.sweep(now);
  }
  onChange(listener: () => void) {
    this.listeners.push(listener);
    return () => void (this.listeners = this.listeners.filter((l) => l !== listener));
  }
  changedElsewhere() {
    for (const listener of this.listeners) listener();
  }
}

describe('the sweep on the request path', () => {
  it('walks the store once, not at every request, while nothing is due', async () => {
    const store = new CountingStore();
    const h = makeHarness({ maxWaitMs: 0 }, new VirtualClock(), store);
    await h.accounts(twoAccounts());
    await h.serve();
    const before = store.walks;
    for (let i = 0; i < 20; i++) expect((await h.serve()).ok).toBe(true);
    expect(store.walks - before).toBe(0);

    // After SWEEP_EVERY_MS the next request walks again (expired entries pruned, spent windows re-armed).
    await h.clock.advance(SWEEP_EVERY_MS);
    const walked = store.walks;
    await h.serve();
    expect(store.walks).toBeGreaterThan(walked);
  });

  it('walks at the next request after another replica changed the store', async () => {
    const store = new CountingStore();
    const h = makeHarness({ maxWaitMs: 0 }, new VirtualClock(), store);
    await h.accounts(twoAccounts());
    await h.serve();
    await h.serve();
    const before = store.walks;
    store.changedElsewhere();
    await h.serve();
    expect(store.walks).toBe(before + 1);
  });

  it('still ends a cooldown learned between walks at its time', async () => {
    const store = new CountingStore();
    const h = makeHarness({ maxWaitMs: 0 }, new VirtualClock(), store);
    await h.accounts(twoAccounts().slice(0, 1));
    await h.serve();
    h.upstream.queue(TOKENS.one, mini.id, tooMany.minute(42));
    expect((await h.send()).ok).toBe(false);
    await h.clock.advance(42_000);
    expect(h.kinds('cooldown-ended')).toEqual([{ kind: 'cooldown-ended', account: 'GITHUB_TOKEN', model: mini.id }]);
    expect((await h.serve()).ok).toBe(true);
  });
});

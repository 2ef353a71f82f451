import { describe, expect, it } from 'vitest';
import { MemoryQuotaStore } from './memory-quota-store';
import { describeQuotaStoreContract } from './quota-store.contract';
import { countIn, MINUTE_MS } from './quota-store';

describeQuotaStoreContract('memory', () => new MemoryQuotaStore());

describe('MemoryQuotaStore', () => {
  const alice = { provider: 'github' as const, id: 'alice' };

  it('counts a reservation before its promise settles (a choice and its count see one state)', () => {
    const store = new MemoryQuotaStore();
    void store.reserve({ owner: alice, model: 'm', account: 'K', now: 0, limits: null });
    expect(countIn(store.ledger.peek('github:alice', 'm')!.minute, 0, MINUTE_MS)).toBe(1);
    expect(store.ledger.find('github:alice')!.inFlight).toBe(1);
  });

  it('keeps the ledger keyed by owner key, never by account', async () => {
    const store = new MemoryQuotaStore();
    await store.reserve({ owner: alice, model: 'm', account: 'K1', now: 0, limits: null });
    await store.reserve({ owner: alice, model: 'm', account: 'K2', now: 0, limits: null });
    expect([...store.ledger.subjects.keys()]).toEqual(['github:alice']);
  });
});

import { describe, expect, it } from 'vitest';
import { ResponseStore } from './responses-store';

describe('ResponseStore', () => {
  it('keeps the most recent responses only, forgetting the oldest first', () => {
    const store = new ResponseStore(2);
    store.put('a', [{ role: 'user', content: 'a' }]);
    store.put('b', [{ role: 'user', content: 'b' }]);
    store.put('c', [{ role: 'user', content: 'c' }]);
    expect(store.size).toBe(2);
    expect(store.get('a')).toBeNull();
    expect(store.get('c')).toEqual([{ role: 'user', content: 'c' }]);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { ADMIN_KEY_STORAGE, takeAdminKey } from './admin-key';

function env(hash: string, stored: string | null = null) {
  const items = new Map<string, string>(stored ? [[ADMIN_KEY_STORAGE, stored]] : []);
  return {
    location: { hash, pathname: '/', search: '' },
    history: { state: null, replaceState: vi.fn() },
    storage: { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) },
    items,
  };
}

describe('takeAdminKey', () => {
  it('reads the key from #key=…, keeps it for this tab and removes it from the visible URL', () => {
    const e = env('#key=abc123');
    expect(takeAdminKey(e)).toBe('abc123');
    expect(e.items.get(ADMIN_KEY_STORAGE)).toBe('abc123');
    expect(e.history.replaceState).toHaveBeenCalledWith(null, '', '/#/');
  });

  it('falls back to the kept key on a later load', () => {
    const e = env('#/settings', 'kept');
    expect(takeAdminKey(e)).toBe('kept');
    expect(e.history.replaceState).not.toHaveBeenCalled();
  });

  it('prefers a key in the URL over a kept one', () => {
    const e = env('#key=new', 'old');
    expect(takeAdminKey(e)).toBe('new');
    expect(e.items.get(ADMIN_KEY_STORAGE)).toBe('new');
  });

  it('returns null without a key anywhere', () => {
    expect(takeAdminKey(env(''))).toBeNull();
    expect(takeAdminKey(env('#/dashboard'))).toBeNull();
  });
});

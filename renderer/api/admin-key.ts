/** Where the headless dashboard's admin key lives between page loads (this tab only). */
export const ADMIN_KEY_STORAGE = 'switchyard.adminKey';

export interface AdminKeyEnv {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * Reads the admin key once from the URL fragment (`#key=…`, as `switchyard serve` prints it),
 * keeps it in sessionStorage and removes it from the visible URL. Later loads of the tab read it
 * from sessionStorage. Returns null when there is none.
 */
export function takeAdminKey(env: AdminKeyEnv): string | null {
  const fromHash = keyFromHash(env.location.hash);
  if (fromHash) {
    env.storage.setItem(ADMIN_KEY_STORAGE, fromHash);
    env.history.replaceState(env.history.state, '', `${env.location.pathname}${env.location.search}#/`);
    return fromHash;
  }
  const stored = env.storage.getItem(ADMIN_KEY_STORAGE);
  return stored && stored.trim() !== '' ? stored : null;
}

function keyFromHash(hash: string): string | null {
  if (!hash.startsWith('#')) return null;
  const params = new URLSearchParams(hash.slice(1));
  const key = params.get('key');
  return key && key.trim() !== '' ? key.trim() : null;
}

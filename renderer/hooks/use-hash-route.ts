import { useSyncExternalStore } from 'react';

export type Route = 'dashboard' | 'settings';

export function routeFromHash(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').split(/[?&]/)[0];
  return path === 'settings' ? 'settings' : 'dashboard';
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** `#/` and `#/dashboard` show the dashboard, `#/settings` the settings. */
export function useHashRoute(): Route {
  return useSyncExternalStore(subscribe, () => routeFromHash(window.location.hash));
}

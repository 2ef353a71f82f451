import { useSyncExternalStore } from 'react';
import type { LiveState, LiveStore } from '../state/live-store';

export function useLiveState(store: LiveStore): LiveState {
  return useSyncExternalStore(store.subscribe, store.getState);
}

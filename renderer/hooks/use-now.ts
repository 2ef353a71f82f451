import { useSyncExternalStore } from 'react';

/*
 * One shared clock for every countdown: a timer re-armed at each whole wall-clock second reads
 * Date.now() afresh, so countdowns derived from absolute reset times stay right across sleep/wake
 * (the first tick after waking shows the true time). Nothing ever decrements a counter.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setTimeout> | null = null;

function tick(): void {
  now = Date.now();
  for (const listener of listeners) listener();
}

function schedule(): void {
  timer = setTimeout(() => {
    tick();
    schedule();
  }, 1000 - (Date.now() % 1000));
}

function onVisible(): void {
  if (document.visibilityState === 'visible') tick();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    now = Date.now();
    schedule();
    document.addEventListener('visibilitychange', onVisible);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      document.removeEventListener('visibilitychange', onVisible);
    }
  };
}

function getNow(): number {
  // Nobody is ticking: refresh a stale reading, but keep it stable for repeated reads.
  if (listeners.size === 0 && Math.abs(Date.now() - now) >= 1000) now = Date.now();
  return now;
}

/** The current time (epoch ms), updated every second for all users of the hook at once. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, getNow);
}

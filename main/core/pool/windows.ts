/**
 * Fixed windows as GitHub (and the simulator) count them: a window opens at the first counted
 * request and lasts its length; the next request after it ends opens a new one.
 */
export interface Window {
  /** Epoch ms the window opened; null when nothing was counted yet. */
  start: number | null;
  count: number;
}

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export const emptyWindow = (): Window => ({ start: null, count: 0 });

export function isOpen(w: Window, now: number, lengthMs: number): boolean {
  return w.start !== null && now < w.start + lengthMs;
}

/** The count in the window that is open at `now` (0 when it has ended). */
export function countIn(w: Window, now: number, lengthMs: number): number {
  return isOpen(w, now, lengthMs) ? w.count : 0;
}

/** Adds `n`, opening a new window first when the previous one has ended. */
export function addTo(w: Window, now: number, lengthMs: number, n = 1): void {
  if (!isOpen(w, now, lengthMs)) {
    w.start = now;
    w.count = 0;
  }
  w.count += n;
}

/** Takes back `n` from the open window (a request upstream refused does not count). */
export function takeFrom(w: Window, now: number, lengthMs: number, n = 1): void {
  if (isOpen(w, now, lengthMs)) w.count = Math.max(0, w.count - n);
}

/** When the open window ends; null when none is open. */
export function windowEnd(w: Window, now: number, lengthMs: number): number | null {
  return isOpen(w, now, lengthMs) && w.start !== null ? w.start + lengthMs : null;
}

import { formatDuration } from '../time-words';

export { formatDuration };

/** Whole seconds to `until`, at least 1 (the value of a Retry-After header). */
export function retryAfterSeconds(until: number, now: number): number {
  return Math.max(1, Math.ceil((until - now) / 1000));
}

/** "2025-01-01T13:33:00.000Z (in 1 h 33 min)" */
export function describeReset(until: number, now: number): string {
  return `${new Date(until).toISOString()} (in ${formatDuration(until - now)})`;
}

/** An account as messages name it: key and login, never the token. */
export function accountLabel(key: string, login: string | null): string {
  return login ? `${key} (${login})` : key;
}

/** "1 h 33 min", "5 min 3 s", "42 s" — rounded up to whole seconds. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

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

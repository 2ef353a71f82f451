/** Keeping tokens out of anything that leaves the main process. */
import { maskToken } from '../core/mask';

/** Shorter strings are not treated as secrets (they would match ordinary words). */
const MIN_SECRET_LENGTH = 8;

/** A deep copy of `value` with every occurrence of a secret replaced by its masked form. */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const list = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  if (list.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let out = v;
      for (const s of list) if (out.includes(s)) out = out.split(s).join(maskToken(s));
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [walk(k) as string, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

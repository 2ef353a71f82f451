import { plainNumber } from './retry-after';

/**
 * How a provider writes a reset number: epoch milliseconds (OpenRouter's `X-RateLimit-Reset`),
 * epoch seconds, delta seconds (Cerebras, Together, Mistral), or `guess` when the provider's
 * meaning is not known (the freellmapi heuristic, a fallback only).
 */
export type ResetNumberKind = 'epoch-ms' | 'epoch-s' | 'delta-s' | 'guess';

/** Epoch ms the number means, or null when it is garbled. A reset already past means `now`. */
export function resetAtFromNumber(raw: string | number | undefined | null, kind: ResetNumberKind, now: number): number | null {
  const value = typeof raw === 'number' ? (Number.isFinite(raw) && raw >= 0 ? raw : null) : plainNumber(raw);
  if (value === null) return null;
  const meaning = kind === 'guess' ? (value > 1e12 ? 'epoch-ms' : value > 1e9 ? 'epoch-s' : 'delta-s') : kind;
  const at = meaning === 'epoch-ms' ? value : meaning === 'epoch-s' ? value * 1000 : now + value * 1000;
  return Math.max(now, at);
}

import { ProxyError } from '../errors';
import { describeReset, retryAfterSeconds } from '../pool/log-words';
import { describeMissing, type Need } from './needs';
import { targetId } from './target';
import type { RouteTarget } from './types';

/**
 * Why one target of a route could not serve this request.
 * rate-limited: every account of it is at a limit (resetAt: its earliest reset).
 * unavailable: no account of it can serve for another reason (invalid key, credits, failing).
 * missing-capability: its model lacks what the request needs (never tried).
 */
export type TargetRefusal =
  | { target: RouteTarget; reason: 'rate-limited'; detail: string; resetAt: number | null }
  | { target: RouteTarget; reason: 'unavailable'; detail: string; resetAt: number | null }
  | { target: RouteTarget; reason: 'missing-capability'; missing: Need[] };

/** When no target states a reset, clients are asked to come back after this long. */
const UNKNOWN_RESET_MS = 60_000;

function describe(refusal: TargetRefusal, now: number): string {
  const id = targetId(refusal.target);
  if (refusal.reason === 'missing-capability') return `${id} ${describeMissing(refusal.missing)}`;
  const detail = refusal.detail.replace(/\.+$/, '');
  // The pool's own words may already say when it resets; say it once.
  const said = /resets at/.test(detail);
  const reset = refusal.resetAt !== null ? (said ? '' : `, resets at ${describeReset(refusal.resetAt, now)}`) : refusal.reason === 'rate-limited' ? '' : ', waits for a person';
  return `${id}: ${detail}${reset}`;
}

/** The earliest reset among the targets that will serve again by themselves; null when none will. */
export function earliestReset(refusals: readonly TargetRefusal[]): number | null {
  const times = refusals.flatMap((r) => (r.reason !== 'missing-capability' && r.resetAt !== null ? [r.resetAt] : []));
  return times.length > 0 ? Math.min(...times) : null;
}

/**
 * The answer when no target of a route can serve: an honest 429 when limits are the reason
 * (Retry-After: the earliest reset over every target), naming each target and why; a 400 when
 * every target lacks what the request needs; else a 503 saying what is wrong with each.
 */
export function routeRefusal(route: string, refusals: readonly TargetRefusal[], now: number): ProxyError {
  const list = refusals.map((r) => describe(r, now)).join('; ');
  const earliest = earliestReset(refusals);
  const retryAfter = retryAfterSeconds(earliest ?? now + UNKNOWN_RESET_MS, now);
  if (refusals.length === 0) {
    return new ProxyError(503, 'service_unavailable', `Route ${route} has no target that can serve.`, { code: 'no_route_target', retryAfterSeconds: 30 });
  }
  if (refusals.some((r) => r.reason === 'rate-limited')) {
    return new ProxyError(429, 'rate_limit_error', `Every target of ${route} is rate-limited or unavailable: ${list}.`, { code: 'rate_limit_exceeded', retryAfterSeconds: retryAfter });
  }
  if (refusals.every((r) => r.reason === 'missing-capability')) {
    return new ProxyError(400, 'invalid_request_error', `No target of ${route} takes this request: ${list}.`, { code: 'model_capability_missing', param: 'model' });
  }
  return new ProxyError(503, 'service_unavailable', `No target of ${route} can serve right now: ${list}.`, {
    code: 'route_unavailable',
    retryAfterSeconds: earliest !== null ? retryAfter : null,
  });
}

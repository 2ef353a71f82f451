import { ProxyError } from '../errors';
import { blockerUntil, isRateLimit, type Blocker } from './account';
import { accountLabel, describeReset, retryAfterSeconds } from './log-words';
import { RETIRED_CODE } from './retirement';
import type { BlockedAccount } from './choose';

/** The last 5xx / network failure seen by a request. */
export interface FailureNote {
  status: number;
  message: string;
  timeout: boolean;
}

function describeBlocker(blocker: Blocker, now: number): string {
  switch (blocker.kind) {
    case 'cooling':
    case 'paused': {
      const scope = blocker.limit.scope === 'user' ? ' (all models)' : blocker.limit.scope === 'concurrency' ? ' (too many requests at once)' : '';
      return `${blocker.limit.limitType}${scope} limit, resets at ${describeReset(blocker.until, now)}`;
    }
    case 'spent': {
      const { limitType, limit, until } = blocker.window;
      const per = limitType === 'UserByModelByDay' ? 'day' : 'minute';
      return `${limitType} limit (${limit} per ${per}, as GitHub stated) reached, resets at ${describeReset(until, now)}`;
    }
    case 'breaker-half-open':
      return 'failing, being probed';
    case 'breaker-open':
      return `failing, next try at ${describeReset(blocker.until, now)}`;
    case 'invalid':
      return `token rejected by GitHub (${blocker.reason}); replace it`;
    case 'forbidden':
      return 'no access to this model (403)';
    case 'disabled':
      return 'disabled';
    case 'retired':
      return 'retired by the provider';
  }
}

function listBlocked(blocked: readonly BlockedAccount[], now: number): string {
  return blocked.map((b) => `${accountLabel(b.account.key, b.account.login)}: ${describeBlocker(b.blocker, now)}`).join('; ');
}

export function upstreamFailure(model: string, failure: FailureNote): ProxyError {
  const what = failure.status === 0 ? 'no answer' : `status ${failure.status}`;
  const message = `GitHub Models failed for ${model} on every attempt (last: ${what}): ${failure.message}`;
  return failure.timeout
    ? new ProxyError(504, 'upstream_error', message, { code: 'upstream_timeout' })
    : new ProxyError(502, 'upstream_error', message, { code: 'upstream_error' });
}

export function deadlineExceeded(model: string, deadlineMs: number, failure: FailureNote | null): ProxyError {
  const last = failure ? ` Last failure: ${failure.message}` : '';
  return new ProxyError(504, 'upstream_error', `No answer for ${model} within the ${Math.round(deadlineMs / 1000)} s deadline.${last}`, {
    code: 'upstream_timeout',
  });
}

export const clientGone = () =>
  new ProxyError(499, 'invalid_request_error', 'The client closed the request.', { code: 'client_closed_request' });

export const poolClosed = () =>
  new ProxyError(503, 'service_unavailable', 'Switchyard is shutting down.', { code: 'shutting_down', retryAfterSeconds: 5 });

/**
 * The answer when no enabled account can serve a model: an honest 429 when rate limits are the
 * reason (Retry-After = whole seconds to the earliest reset, every account named with key, login,
 * limit and reset time), else what does describe it.
 */
export function refusal(model: string, blocked: readonly BlockedAccount[], lastFailure: FailureNote | null, now: number): ProxyError {
  if (blocked.length === 0) {
    return new ProxyError(503, 'service_unavailable', 'No account is configured or enabled for this provider.', { code: 'no_accounts', retryAfterSeconds: 30 });
  }
  // Every account that could serve it belongs to a provider that no longer serves.
  const retired = blocked.map((b) => (b.blocker.kind === 'retired' ? b.blocker.reason : null));
  if (retired.every((message) => message !== null)) return new ProxyError(503, 'service_unavailable', retired[0]!, { code: RETIRED_CODE });
  const timed = blocked.map((b) => blockerUntil(b.blocker)).filter((t): t is number => t !== null);
  const earliest = timed.length > 0 ? Math.min(...timed) : null;
  const list = listBlocked(blocked, now);
  if (blocked.some((b) => isRateLimit(b.blocker))) {
    return new ProxyError(429, 'rate_limit_error', `Every account is rate-limited for ${model}. ${list}.`, {
      code: 'rate_limit_exceeded',
      retryAfterSeconds: retryAfterSeconds(earliest ?? now + 1000, now),
    });
  }
  // This request's own attempts failed (5xx / network): say what upstream said.
  if (lastFailure) return upstreamFailure(model, lastFailure);
  if (earliest !== null) {
    return new ProxyError(503, 'service_unavailable', `No account can serve ${model} right now. ${list}.`, {
      code: 'accounts_unavailable',
      retryAfterSeconds: retryAfterSeconds(earliest, now),
    });
  }
  if (blocked.every((b) => b.blocker.kind === 'forbidden')) {
    return new ProxyError(403, 'permission_error', `No account has access to ${model}. ${list}.`, { code: 'model_forbidden' });
  }
  return new ProxyError(503, 'service_unavailable', `No usable account for ${model}. ${list}.`, { code: 'no_usable_account' });
}

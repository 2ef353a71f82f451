import type { LimitPeriod, LimitUnit, LimitWindow } from '../types';
import { parseGoDuration } from './duration';
import { isRecord, str } from './json';

const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
const QUOTA_FAILURE = 'type.googleapis.com/google.rpc.QuotaFailure';
const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

export interface QuotaViolation {
  quotaId: string;
  quotaMetric: string;
  /** `quotaDimensions.model`, when the quota is per model. */
  model: string | null;
  value: number | null;
}

/** What a Google error (`{error:{code,message,status,details}}`) says about quota. */
export interface GoogleError {
  status: string | null;
  message: string;
  violations: QuotaViolation[];
  /** `RetryInfo.retryDelay` in ms (a protobuf Duration, `"41s"`). */
  retryDelayMs: number | null;
  /** `ErrorInfo.reason` (e.g. `API_KEY_INVALID`). */
  reason: string | null;
}

function details(error: Record<string, unknown>): Record<string, unknown>[] {
  return Array.isArray(error.details) ? error.details.filter(isRecord) : [];
}

/** Reads a Google error object (take element 0 of the compat endpoint's array first). */
export function readGoogleError(json: unknown): GoogleError | null {
  const error = isRecord(json) && isRecord(json.error) ? json.error : null;
  if (!error) return null;
  const parts = details(error);
  const ofType = (type: string) => parts.filter((part) => part['@type'] === type);
  const violations = ofType(QUOTA_FAILURE).flatMap((part) =>
    (Array.isArray(part.violations) ? part.violations.filter(isRecord) : []).map((violation) => {
      const dimensions = isRecord(violation.quotaDimensions) ? violation.quotaDimensions : {};
      const value = str(violation.quotaValue);
      return {
        quotaId: str(violation.quotaId) ?? '',
        quotaMetric: str(violation.quotaMetric) ?? '',
        model: str(dimensions.model),
        value: value !== null && Number.isFinite(Number(value)) ? Number(value) : null,
      };
    }),
  );
  const delay = ofType(RETRY_INFO).map((part) => parseGoDuration(str(part.retryDelay))).find((ms) => ms !== null) ?? null;
  const reason = ofType(ERROR_INFO).map((part) => str(part.reason)).find((value) => value !== null) ?? null;
  return { status: str(error.status), message: str(error.message) ?? '', violations, retryDelayMs: delay, reason };
}

/** `PerDay`/`Daily` → day, `PerMinute` → minute, `PerHour` → hour; `InputTokens`/`token` vs `Requests`. */
export function quotaWindow(violation: QuotaViolation): LimitWindow {
  const id = violation.quotaId;
  const period: LimitPeriod | null = /PerDay|Daily/i.test(id) ? 'day' : /PerMinute/i.test(id) ? 'minute' : /PerHour/i.test(id) ? 'hour' : null;
  const text = `${id} ${violation.quotaMetric}`;
  const unit: LimitUnit | null = /token/i.test(text) ? 'tokens' : /request/i.test(text) ? 'requests' : null;
  return { period, unit };
}

/** True when the quota counts per model (`PerModel` in the id, or a model dimension). */
export function isPerModel(violation: QuotaViolation): boolean {
  return /PerModel/i.test(violation.quotaId) || violation.model !== null;
}

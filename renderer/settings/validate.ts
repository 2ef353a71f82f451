import { settingsPatchSchema, type SettingsPatch } from '../../shared/settings';

/** Messages in plain words, keyed by the field's dotted path (`throttling.minIntervalMs`). */
export type FieldErrors = Record<string, string>;

export const FIELD_LABEL: Record<string, string> = {
  host: 'Host',
  port: 'Port',
  maxWaitMs: 'Maximum wait (ms)',
  strategy: 'Account choice',
  apiKey: 'Client API key',
  'throttling.minIntervalMs': 'Minimum interval (MODEL_MIN_INTERVAL_MS)',
  'inboundRateLimit.perMinute': 'Requests per minute (RATE_LIMIT_PER_MINUTE)',
};

const labelOf = (path: string): string => FIELD_LABEL[path] ?? path;

/** Reads a text box as a number; an error in plain words when it is empty or not a number. */
export function readNumber(raw: string, path: string): { value: number } | { error: string } {
  const text = raw.trim();
  if (text === '') return { error: `${labelOf(path)} is required.` };
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { error: `${labelOf(path)} must be a number, written with digits only (like 2000).` };
  return { value: Number(text) };
}

interface Issue {
  code: string;
  path: PropertyKey[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  expected?: string;
}

function words(issue: Issue, label: string): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `${label} is required.` : `${label} must be at least ${issue.minimum} characters long.`;
      return `${label} must be ${issue.minimum} or more.`;
    case 'too_big':
      if (issue.origin === 'string') return `${label} must be at most ${issue.maximum} characters long.`;
      return `${label} must be ${issue.maximum} or less.`;
    case 'invalid_type':
      return issue.expected === 'int' ? `${label} must be a whole number.` : `${label} has the wrong kind of value.`;
    case 'invalid_value':
      return `${label} must be one of the offered choices.`;
    default:
      return `${label} is not valid.`;
  }
}

/** Validates a patch with the shared settings schema; empty when it can be sent. */
export function validatePatch(patch: SettingsPatch): FieldErrors {
  const result = settingsPatchSchema.safeParse(patch);
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues as Issue[]) {
    const path = issue.path.map(String).join('.');
    if (!errors[path]) errors[path] = words(issue, labelOf(path));
  }
  return errors;
}

/** Checks a pasted token before it is sent: plain words, never echoing the token. */
export function validateToken(raw: string): string | null {
  const token = raw.trim();
  if (token === '') return 'Paste a GitHub token first.';
  if (/\s/.test(token)) return 'A GitHub token has no spaces or line breaks — check that you copied exactly the token.';
  if (token.length < 20) return 'That is too short to be a GitHub token — check that you copied all of it.';
  if (!/^[A-Za-z0-9_]+$/.test(token)) return 'A GitHub token holds only letters, digits and underscores — check what you pasted.';
  return null;
}

/** Hosts that keep the proxy reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Host names and addresses: no spaces, no scheme, no port. */
export function validateHost(raw: string): string | null {
  const host = raw.trim();
  if (host === '') return 'Host is required (127.0.0.1 keeps the proxy on this computer).';
  if (/^[a-z]+:\/\//i.test(host)) return 'Host is an address only, without http:// — for example 127.0.0.1.';
  if (/[\s/]/.test(host)) return 'Host cannot contain spaces or slashes — for example 127.0.0.1.';
  return null;
}

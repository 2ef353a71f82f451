import type { ErrorType } from '../errors';
import { readErrorInfo } from '../upstream/error-info';
import { isRecord, parseBody, str } from './parse/json';
import { tidyMessage } from './scrub';
import type { ClientError } from './types';

export function errorTypeFor(status: number): ErrorType {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404 || status === 410) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status === 503) return 'service_unavailable';
  if (status >= 500) return 'upstream_error';
  return 'invalid_request_error';
}

/** Mistral's 422 puts pydantic's list in `message.detail`: "body.stream_options: Extra inputs are not permitted". */
function detailText(value: unknown): string | null {
  if (typeof value === 'string') return str(value);
  const list = isRecord(value) ? value.detail : value;
  if (!Array.isArray(list)) return null;
  const lines = list.flatMap((item) => {
    if (!isRecord(item)) return [];
    const where = Array.isArray(item.loc) ? item.loc.join('.') : null;
    const message = str(item.msg);
    return message ? [where ? `${where}: ${message}` : message] : [];
  });
  return lines.length > 0 ? lines.join('; ') : null;
}

interface Read {
  message: string | null;
  code: string | null;
  type: string | null;
  param: string | null;
}

/** The fields of every dialect: OpenAI, Gemini's array, Cloudflare's `errors`, Mistral, problem+json. */
function read(json: unknown): Read | null {
  if (!isRecord(json)) return null;
  if (Array.isArray(json.errors) && isRecord(json.errors[0])) {
    const first = json.errors[0];
    return { message: str(first.message), code: str(first.code), type: null, param: null };
  }
  if (typeof json.error === 'string') return { message: str(json.error), code: str(json.code), type: null, param: null };
  const error = isRecord(json.error) ? json.error : json;
  const inner = isRecord(error.innererror) ? error.innererror : null;
  return {
    message: detailText(error.message) ?? str(error.detail) ?? str(error.title) ?? str(error.details) ?? str(inner?.message),
    code: (typeof error.code === 'number' ? null : str(error.code)) ?? (typeof error.status === 'string' ? str(error.status) : null) ?? str(inner?.code),
    type: str(error.type),
    param: str(error.param),
  };
}

/**
 * A provider's error answer as an OpenAI-shaped error for the client: the provider's message and
 * code, keys masked, a type from the status when the provider gives none.
 */
export function translateError(status: number, headers: Record<string, string>, bodyText: string): ClientError {
  const fields = read(parseBody(bodyText));
  const plain = fields?.message ? null : readErrorInfo(status, headers, bodyText);
  return {
    status,
    type: fields?.type ?? errorTypeFor(status),
    code: fields?.code ?? plain?.code ?? null,
    message: tidyMessage(fields?.message ?? plain!.message),
    param: fields?.param ?? null,
  };
}

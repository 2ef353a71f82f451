/**
 * One error taxonomy for everything the proxy answers. The error handler renders it in
 * OpenAI's shape: {"error":{"message","type","code","param"}}.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'server_error'
  | 'service_unavailable'
  | 'upstream_error';

export class ProxyError extends Error {
  readonly status: number;
  readonly type: ErrorType;
  readonly code: string | null;
  readonly param: string | null;
  /** Whole seconds; set on every 429 (becomes the Retry-After header). */
  readonly retryAfterSeconds: number | null;

  constructor(
    status: number,
    type: ErrorType,
    message: string,
    options: { code?: string | null; param?: string | null; retryAfterSeconds?: number | null } = {},
  ) {
    super(message);
    this.name = 'ProxyError';
    this.status = status;
    this.type = type;
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds ?? null;
  }

  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

export const badRequest = (message: string, code: string | null = 'invalid_request', param: string | null = null) =>
  new ProxyError(400, 'invalid_request_error', message, { code, param });

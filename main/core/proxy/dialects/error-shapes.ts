import type { ProxyError } from '../../errors';
import { sseEvent } from './sse-event';
import type { ErrorShape, ErrorShapeName } from './types';

/** OpenAI's `{"error":{message,type,code,param}}`, for chat completions, embeddings and Responses. */
export const openaiErrors: ErrorShape = {
  name: 'openai',
  body: (error) => error.toBody(),
  streamEvent: (error) => `data: ${JSON.stringify(error.toBody())}\n\n`,
};

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
  529: 'overloaded_error',
};

/** Anthropic's error type for an HTTP status (other 4xx: invalid_request_error; other 5xx: api_error). */
export function anthropicErrorType(status: number): string {
  return ANTHROPIC_TYPES[status] ?? (status < 500 ? 'invalid_request_error' : 'api_error');
}

const anthropicBody = (error: ProxyError) => ({ type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } });

/** Anthropic's `{"type":"error","error":{type,message}}`, for Messages; mid-stream as `event: error`. */
export const anthropicErrors: ErrorShape = {
  name: 'anthropic',
  body: anthropicBody,
  streamEvent: (error) => sseEvent('error', { error: anthropicBody(error).error }),
};

export const ERROR_SHAPES: Record<ErrorShapeName, ErrorShape> = { openai: openaiErrors, anthropic: anthropicErrors };

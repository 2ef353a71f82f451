import { chatRequestSchema, parseBody } from '../request-schemas';
import { openaiErrors } from './error-shapes';
import type { Dialect } from './types';

type ChatRequest = ReturnType<typeof chatRequestSchema.parse>;

/** POST /v1/chat/completions: upstream speaks it already; the body goes up with the model rewritten, the answer comes back byte for byte. */
export const chatDialect: Dialect<ChatRequest> = {
  name: 'chat',
  paths: ['/v1/chat/completions'],
  operation: 'chat',
  errors: openaiErrors,
  parse: (body) => parseBody(chatRequestSchema, body),
  model: (request) => request.model,
  forwardsAsSent: true,
  toUpstream: (request, model) => ({ body: { ...request, model: model.id }, stream: request.stream === true }),
};

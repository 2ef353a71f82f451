import { embeddingsRequestSchema, parseBody } from '../request-schemas';
import { openaiErrors } from './error-shapes';
import type { Dialect } from './types';

type EmbeddingsRequest = ReturnType<typeof embeddingsRequestSchema.parse>;

/** POST /v1/embeddings: relayed as chat is, never streamed. */
export const embeddingsDialect: Dialect<EmbeddingsRequest> = {
  name: 'embeddings',
  paths: ['/v1/embeddings'],
  operation: 'embeddings',
  errors: openaiErrors,
  parse: (body) => parseBody(embeddingsRequestSchema, body),
  model: (request) => request.model,
  forwardsAsSent: true,
  toUpstream: (request, model) => ({ body: { ...request, model: model.id }, stream: false }),
};

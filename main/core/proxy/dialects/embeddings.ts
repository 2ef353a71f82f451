import { z } from 'zod';
import { modelField, parseBody } from '../guards';
import { openaiErrors } from './error-shapes';
import type { Dialect } from './types';

const embeddingsRequestSchema = z
  .object({
    model: modelField,
    input: z.union(
      [
        z.string(),
        z.array(z.string()).min(1),
        z.array(z.number()).min(1),
        z.array(z.array(z.number()).min(1)).min(1),
      ],
      { error: 'input must be a string or a non-empty array of strings (or of token arrays).' },
    ),
  })
  .loose();

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

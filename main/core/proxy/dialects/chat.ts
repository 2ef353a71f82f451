import { z } from 'zod';
import { modelField, parseBody } from '../guards';
import { openaiErrors } from './error-shapes';
import type { Dialect } from './types';

const chatRequestSchema = z
  .object({
    model: modelField,
    messages: z
      .array(
        z.looseObject({
          role: z.string({ error: 'each message needs a role (system, developer, user, assistant or tool).' }).min(1),
        }),
        { error: 'messages must be an array of {role, content} objects.' },
      )
      .min(1, 'messages must contain at least one message.'),
    stream: z.boolean({ error: 'stream must be true or false.' }).optional(),
  })
  .loose();

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

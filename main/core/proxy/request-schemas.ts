import { z } from 'zod';
import { ProxyError } from '../errors';

export const modelField = z
  .string({ error: 'model must be a string, e.g. "gpt-4o-mini" or "openai/gpt-4o-mini".' })
  .trim()
  .min(1, 'model must not be empty.')
  .max(200, 'model ids are at most 200 characters.');

export const chatRequestSchema = z
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

export const embeddingsRequestSchema = z
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

/** Parses a body or throws a 400 in OpenAI's shape naming the offending parameter. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProxyError(400, 'invalid_request_error', 'The request body must be a JSON object.', { code: 'invalid_body' });
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.length ? issue.path.join('.') : null;
  const missing = (issue?.code === 'invalid_type' || issue?.code === 'invalid_union') && valueAt(body, issue.path) === undefined;
  const message = missing ? `Missing required parameter: '${param}'.` : `Invalid value for '${param ?? 'body'}': ${issue?.message ?? 'invalid'}`;
  throw new ProxyError(400, 'invalid_request_error', message, { code: missing ? 'missing_required_parameter' : 'invalid_value', param });
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

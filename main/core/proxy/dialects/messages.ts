import type { FastifyInstance } from 'fastify';
import { ProxyError } from '../../errors';
import { parseBody } from '../guards';
import { readCompletion, type ChatCompletion } from './chat-shapes';
import { newId } from './chat-stream';
import { mapClaudeModel } from './claude-models';
import { countInputTokens, TOKENIZER } from './count-tokens';
import { anthropicErrors } from './error-shapes';
import { anthropicUsage, messageObject, stopReason } from './messages-output';
import { chatBody, countTokensRequestSchema, messagesRequestSchema, type MessagesRequest } from './messages-request';
import { MessagesStream } from './messages-stream';
import type { Dialect } from './types';

type Parsed = MessagesRequest & { max_tokens: number };

function toolInput(args: string, name: string): unknown {
  try {
    return args ? JSON.parse(args) : {};
  } catch {
    throw new ProxyError(502, 'upstream_error', `The model called the tool '${name}' with arguments that are not JSON; retry the request.`, { code: 'invalid_tool_arguments' });
  }
}

/** POST /v1/messages (Claude Code), carried over chat completions; `?beta=true` and the anthropic-* headers are accepted. */
export const messagesDialect: Dialect<Parsed> = {
  name: 'messages',
  paths: ['/v1/messages'],
  operation: 'chat',
  errors: anthropicErrors,
  parse: (body) => parseBody(messagesRequestSchema, body),
  model: (request, context) => mapClaudeModel(request.model, context.settings.claudeModelMap),
  toUpstream: (request, model) => ({ body: chatBody(request, model.id), stream: request.stream === true }),
  translation: {
    reply(upstream: ChatCompletion, _request, modelId) {
      const read = readCompletion(upstream);
      const content: unknown[] = [];
      if (read.text) content.push({ type: 'text', text: read.text });
      for (const call of read.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.arguments, call.function.name) });
      return messageObject(newId('msg'), upstream.model || modelId, content, stopReason(read.finishReason, read.toolCalls.length > 0), anthropicUsage(read.usage));
    },
    stream: (_request, modelId) => new MessagesStream(newId('msg'), modelId),
  },
};

/** POST /v1/messages/count_tokens: counted here with a real tokenizer (no upstream call), and said to be an estimate. */
export function countTokensRoute(app: FastifyInstance, assertRunning: () => void): void {
  app.post('/v1/messages/count_tokens', { config: { errorShape: 'anthropic' } }, async (request, reply) => {
    assertRunning();
    const body = parseBody(countTokensRequestSchema, request.body);
    const inputTokens = await countInputTokens(body);
    reply.header('x-switchyard-token-count', `estimate; tokenizer=${TOKENIZER}; the upstream model may count differently`);
    return { input_tokens: inputTokens };
  });
}

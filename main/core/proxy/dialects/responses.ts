import { badRequest, type ProxyError } from '../../errors';
import { parseBody } from '../guards';
import { readCompletion, type ChatCompletion, type ChatMessage, type ChatToolCall } from './chat-shapes';
import { newId } from './chat-stream';
import { openaiErrors } from './error-shapes';
import { assistantTurn, callItem, failureOf, messageItem, responseObject, statusOf, usageOf, type OutputItem, type ResponseIdentity } from './responses-output';
import { chatBody, customToolNames, inputMessages, responsesRequestSchema, type ResponsesRequest } from './responses-request';
import { ResponsesStream } from './responses-stream';
import { ResponseStore } from './responses-store';
import { sseEvent } from './sse-event';
import type { Dialect } from './types';

/** Rate limits that end sooner than this are streamed as response.failed (Codex retries those after the delay); longer ones are an HTTP 429. */
export const STREAMED_RATE_LIMIT_SECONDS = 120;

/** What one Responses request carries between its steps: its id, the stored history it continues. */
interface Parsed {
  request: ResponsesRequest;
  who: ResponseIdentity;
  history: ChatMessage[];
}

/** POST /v1/responses (Codex CLI, Cursor), carried over chat completions. */
export function responsesDialect(store = new ResponseStore()): Dialect<Parsed> {
  const remember = (parsed: Parsed, text: string, calls: ChatToolCall[]) => {
    if (parsed.request.store !== true) return;
    store.put(parsed.who.id, [...parsed.history, ...inputMessages(parsed.request), assistantTurn(text, calls)]);
  };

  return {
    name: 'responses',
    paths: ['/v1/responses'],
    operation: 'chat',
    errors: openaiErrors,
    parse(body) {
      const request = parseBody(responsesRequestSchema, body);
      const history = request.previous_response_id ? storedHistory(store, request.previous_response_id) : [];
      return { request, history, who: { id: newId('resp'), createdAt: Math.floor(Date.now() / 1000), model: request.model, request } };
    },
    model: (parsed) => parsed.request.model,
    toUpstream(parsed, model) {
      parsed.who.model = model.id;
      return { body: chatBody(parsed.request, model, parsed.history), stream: parsed.request.stream === true };
    },
    translation: {
      reply(upstream: ChatCompletion, parsed) {
        const read = readCompletion(upstream);
        const custom = customToolNames(parsed.request);
        const output: OutputItem[] = [];
        if (read.text) output.push(messageItem(newId('msg'), read.text, 'completed'));
        for (const call of read.toolCalls) {
          output.push(callItem({ id: newId('fc'), callId: call.id, name: call.function.name, args: call.function.arguments }, custom.has(call.function.name), 'completed'));
        }
        remember(parsed, read.text, read.toolCalls);
        return responseObject(parsed.who, { ...statusOf(read.finishReason), output, usage: usageOf(read.usage) });
      },
      stream: (parsed) => new ResponsesStream(parsed.who, customToolNames(parsed.request), (text, calls) => remember(parsed, text, calls)),
      streamedFailure(error: ProxyError, parsed) {
        if (error.status !== 429 || (error.retryAfterSeconds ?? Infinity) > STREAMED_RATE_LIMIT_SECONDS) return null;
        const created = responseObject(parsed.who, { status: 'in_progress', output: [] });
        const failed = responseObject(parsed.who, { status: 'failed', output: [], error: failureOf(error) });
        return sseEvent('response.created', { sequence_number: 0, response: created }) + sseEvent('response.failed', { sequence_number: 1, response: failed });
      },
    },
  };
}

function storedHistory(store: ResponseStore, id: string): ChatMessage[] {
  const history = store.get(id);
  if (history) return history;
  throw badRequest(
    `previous_response_id '${id.slice(0, 100)}' is not known to this Switchyard. It keeps a response only when it was created with "store": true, in this process, and only the most recent ones; it keeps nothing by default. Send the whole conversation in input instead (as Codex does).`,
    'previous_response_not_found',
    'previous_response_id',
  );
}

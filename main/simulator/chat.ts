import type { CatalogEntry } from './options';
import type { SimContext } from './context';
import { estimateTokens, promptText, replyWords } from './content';
import type { Exchange } from './exchange';
import { answer, type ChatBody } from './providers/behaviour';
import { completionBody, writeCompletionStream } from './providers/openai-reply';
import { sendCutShort } from './replies';
import { CONTENT_FILTER_RESULTS, writeStream, type Usage } from './sse';

export interface ChatRequest extends ChatBody {
  messages?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  stream?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

export interface ReplyOptions {
  /** Pause between stream chunks (the 'slow' fault overrides the configured one). */
  chunkDelayMs: number;
  /** A 'reset' fault in the middle of the response. */
  resetMidResponse: boolean;
}

const positiveInt = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

/** A deterministic chat.completion, as JSON or as an SSE stream. */
export async function replyChat(
  ctx: SimContext,
  x: Exchange,
  body: ChatRequest,
  model: CatalogEntry,
  login: string,
  options: ReplyOptions,
): Promise<void> {
  const stream = body.stream === true;
  const maxTokens = positiveInt(body.max_tokens) ?? positiveInt(body.max_completion_tokens);
  const minWords = stream ? ctx.settings.chunks : 12;
  // Tools and JSON mode are answered the way a model would; plain chat keeps its canned words.
  const shaped = body.tools !== undefined || body.response_format !== undefined ? answer(body, model.id, login, minWords) : null;
  const { words, finishReason } = shaped?.kind === 'text' ? shaped : replyWords(model.id, login, maxTokens, minWords);
  const promptTokens = estimateTokens(promptText(body.messages));
  const usage: Usage = { prompt_tokens: promptTokens, completion_tokens: words.length, total_tokens: promptTokens + words.length };
  const id = ctx.nextId('chatcmpl');
  const created = Math.floor(ctx.now() / 1000);
  const headers = ctx.okHeaders(id);

  if (shaped?.kind === 'tools') {
    const plan = { id, created, model: model.id, answer: shaped, usage };
    if (!stream) return x.send(200, { ...headers, 'content-type': 'application/json' }, JSON.stringify(completionBody(plan)));
    const style = { usage: 'asked' as const, chunks: ctx.settings.chunks, chunkDelayMs: options.chunkDelayMs };
    return writeCompletionStream(x, plan, style, body.stream_options?.include_usage === true, headers);
  }

  if (stream) {
    await writeStream(
      x,
      {
        id,
        created,
        model: model.id,
        words,
        finishReason,
        chunks: ctx.settings.chunks,
        chunkDelayMs: options.chunkDelayMs,
        ping: ctx.settings.ping,
        usage: body.stream_options?.include_usage === true ? usage : null,
        resetAfterFirstChunk: options.resetMidResponse,
      },
      headers,
    );
    return;
  }

  const completion = {
    id,
    object: 'chat.completion',
    created,
    model: model.id,
    system_fingerprint: 'fp_simulator',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: words.join(''), refusal: null },
        finish_reason: finishReason,
        logprobs: null,
        content_filter_results: CONTENT_FILTER_RESULTS,
      },
    ],
    usage,
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: CONTENT_FILTER_RESULTS }],
  };
  const json = JSON.stringify(completion);
  const jsonHeaders = { ...headers, 'content-type': 'application/json' };
  if (options.resetMidResponse) sendCutShort(x, 200, jsonHeaders, json);
  else x.send(200, jsonHeaders, json);
}

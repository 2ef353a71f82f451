import type { Exchange } from './exchange';

/** Azure-style server-sent events for a streamed chat completion. */

const SAFE = { filtered: false, severity: 'safe' };
export const CONTENT_FILTER_RESULTS = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface StreamPlan {
  id: string;
  created: number;
  model: string;
  words: string[];
  finishReason: 'stop' | 'length';
  chunks: number;
  chunkDelayMs: number;
  ping: boolean;
  /** Sent as a final `choices: []` chunk when the client asked for stream_options.include_usage. */
  usage: Usage | null;
  /** A connection-reset fault: drop the connection after the first content chunk. */
  resetAfterFirstChunk: boolean;
}

const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

/** Splits `words` into `n` consecutive, non-empty (when possible) pieces of text. */
export function splitWords(words: string[], n: number): string[] {
  const count = Math.max(1, Math.min(n, words.length));
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) {
    pieces.push(words.slice(Math.floor((i * words.length) / count), Math.floor(((i + 1) * words.length) / count)).join(''));
  }
  return pieces;
}

/**
 * Writes the stream: a prelude with `prompt_filter_results`, each content chunk as its own write
 * (`chunkDelayMs` apart), a finish chunk, the usage chunk when asked, then `data: [DONE]`.
 * Stops quietly when the client goes away.
 */
export async function writeStream(x: Exchange, plan: StreamPlan, headers: Record<string, string>): Promise<void> {
  x.head(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  x.write(
    event({
      choices: [],
      created: 0,
      id: '',
      model: '',
      object: '',
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: CONTENT_FILTER_RESULTS }],
    }),
  );
  if (plan.ping) x.write(': ping\n\n');
  const base = { created: plan.created, id: plan.id, model: plan.model, object: 'chat.completion.chunk', system_fingerprint: 'fp_simulator' };
  const pieces = splitWords(plan.words, plan.chunks);
  for (const [i, content] of pieces.entries()) {
    if (i > 0 && !(await x.delay(plan.chunkDelayMs))) return;
    if (x.gone) return;
    const delta = i === 0 ? { role: 'assistant', content } : { content };
    const chunk = event({ ...base, choices: [{ content_filter_results: CONTENT_FILTER_RESULTS, delta, finish_reason: null, index: 0, logprobs: null }] });
    if (i === 0 && plan.resetAfterFirstChunk) return x.writeThenDrop(chunk);
    x.write(chunk);
  }
  x.write(event({ ...base, choices: [{ content_filter_results: {}, delta: {}, finish_reason: plan.finishReason, index: 0, logprobs: null }] }));
  if (plan.usage) x.write(event({ ...base, choices: [], usage: plan.usage }));
  x.end('data: [DONE]\n\n');
}

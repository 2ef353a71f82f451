import type { Exchange } from '../exchange';
import { splitWords } from '../sse';
import type { Answer } from './behaviour';
import { splitText } from './behaviour';

/** Chat completions in OpenAI's own shape (what every OpenAI-compatible provider answers), JSON or SSE. */

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface CompletionPlan {
  id: string;
  created: number;
  model: string;
  answer: Answer;
  usage: Usage;
}

export interface StreamStyle {
  /** SSE comment lines sent before the first chunk (OpenRouter: `: OPENROUTER PROCESSING`). */
  comments?: readonly string[];
  /** Send the usage chunk: always (Mistral, OpenRouter) or when `stream_options.include_usage` asks. */
  usage: 'always' | 'asked';
  chunks: number;
  chunkDelayMs: number;
  /** After the first content chunk, an in-band error chunk with finish_reason "error" ends the stream (HTTP 200). */
  midStreamError?: { code: number; message: string } | null;
}

function message(answer: Answer) {
  if (answer.kind === 'tools') return { role: 'assistant', content: null, tool_calls: answer.calls };
  return { role: 'assistant', content: answer.words.join('') };
}

const finishOf = (answer: Answer) => (answer.kind === 'tools' ? 'tool_calls' : answer.finishReason);

export function completionBody(plan: CompletionPlan): Record<string, unknown> {
  return {
    id: plan.id,
    object: 'chat.completion',
    created: plan.created,
    model: plan.model,
    choices: [{ index: 0, message: message(plan.answer), finish_reason: finishOf(plan.answer), logprobs: null }],
    usage: plan.usage,
  };
}

const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

/** The deltas of a streamed answer: content pieces, or a tool call's head then its argument pieces. */
function deltas(answer: Answer, chunks: number): Array<Record<string, unknown>> {
  if (answer.kind === 'text') {
    return splitWords(answer.words, chunks).map((content, i) => (i === 0 ? { role: 'assistant', content } : { content }));
  }
  const out: Array<Record<string, unknown>> = [];
  answer.calls.forEach((call, index) => {
    out.push({
      ...(index === 0 ? { role: 'assistant', content: null } : {}),
      tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }],
    });
    for (const piece of splitText(call.function.arguments, Math.max(1, chunks - 1))) {
      out.push({ tool_calls: [{ index, function: { arguments: piece } }] });
    }
  });
  return out;
}

export async function writeCompletionStream(
  x: Exchange,
  plan: CompletionPlan,
  style: StreamStyle,
  includeUsage: boolean,
  headers: Record<string, string>,
): Promise<void> {
  x.head(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const comment of style.comments ?? []) x.write(`: ${comment}\n\n`);
  const base = { id: plan.id, object: 'chat.completion.chunk', created: plan.created, model: plan.model };
  const pieces = deltas(plan.answer, style.chunks);
  for (const [i, delta] of pieces.entries()) {
    if (i > 0 && !(await x.delay(style.chunkDelayMs))) return;
    if (x.gone) return;
    x.write(event({ ...base, choices: [{ index: 0, delta, finish_reason: null, logprobs: null }] }));
    if (i === 0 && style.midStreamError) {
      const { code, message: text } = style.midStreamError;
      x.write(event({ ...base, error: { code, message: text }, choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }] }));
      x.end('data: [DONE]\n\n');
      return;
    }
  }
  x.write(event({ ...base, choices: [{ index: 0, delta: {}, finish_reason: finishOf(plan.answer), logprobs: null }] }));
  if (style.usage === 'always' || includeUsage) x.write(event({ ...base, choices: [], usage: plan.usage }));
  x.end('data: [DONE]\n\n');
}

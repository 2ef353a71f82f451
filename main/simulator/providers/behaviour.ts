import { promptText, replyWords } from '../content';
import { hashString } from '../prng';
import { valueFor } from './schema-value';

/**
 * What the simulated model answers, the way a model would: a forced `tool_choice` (or `required`)
 * calls a tool with arguments valid against its JSON schema; `auto` calls the first tool while the
 * last message is the user's and answers in words once a tool result came back;
 * `response_format: json_object` answers a JSON object, `json_schema` an object of that schema.
 */

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type Answer =
  | { kind: 'text'; words: string[]; finishReason: 'stop' | 'length' }
  | { kind: 'tools'; calls: ToolCall[] };

interface ToolSpec {
  type?: unknown;
  function?: { name?: unknown; parameters?: unknown };
}

export interface ChatBody {
  messages?: unknown;
  tools?: unknown;
  tool_choice?: unknown;
  response_format?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  stream?: unknown;
}

const positiveInt = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);

/** The max tokens a request asks for, if any. */
export function maxTokensOf(body: ChatBody): number | null {
  return positiveInt(body.max_completion_tokens) ?? positiveInt(body.max_tokens);
}

export function answer(body: ChatBody, model: string, speaker: string, minWords: number): Answer {
  const tool = chosenTool(body);
  if (tool) {
    const args = JSON.stringify(valueFor(tool.parameters ?? { type: 'object', properties: {} }) ?? {});
    const id = `call_${hashString(`${model}\n${tool.name}\n${promptText(body.messages)}`).toString(36)}`;
    return { kind: 'tools', calls: [{ id, type: 'function', function: { name: tool.name, arguments: args } }] };
  }
  const text = replyWords(model, speaker, null, minWords).words.join('');
  const json = jsonAnswer(body.response_format, text, model);
  if (json !== null) return { kind: 'text', words: splitText(json, minWords), finishReason: 'stop' };
  const { words, finishReason } = replyWords(model, speaker, maxTokensOf(body), minWords);
  return { kind: 'text', words, finishReason };
}

function chosenTool(body: ChatBody): { name: string; parameters: unknown } | null {
  const tools = Array.isArray(body.tools) ? (body.tools as ToolSpec[]).filter((t) => typeof t?.function?.name === 'string') : [];
  if (tools.length === 0) return null;
  const choice = body.tool_choice;
  const pick = (t: ToolSpec | undefined) => (t ? { name: String(t.function?.name), parameters: t.function?.parameters } : null);
  if (choice === 'none') return null;
  if (choice === 'required') return pick(tools[0]);
  if (choice && typeof choice === 'object') {
    const name = (choice as { function?: { name?: unknown } }).function?.name;
    return pick(tools.find((t) => t.function?.name === name));
  }
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const last = messages[messages.length - 1] as { role?: unknown } | undefined;
  return last?.role === 'user' ? pick(tools[0]) : null;
}

function jsonAnswer(format: unknown, text: string, model: string): string | null {
  if (!format || typeof format !== 'object') return null;
  const f = format as { type?: unknown; json_schema?: { schema?: unknown } };
  if (f.type === 'json_object') return JSON.stringify({ answer: text, model });
  if (f.type === 'json_schema') return JSON.stringify(valueFor(f.json_schema?.schema ?? { type: 'object' }) ?? {});
  return null;
}

/** Cuts `text` into about `n` pieces (for streaming), keeping every character. */
export function splitText(text: string, n: number): string[] {
  const count = Math.max(1, Math.min(n, text.length));
  const size = Math.ceil(text.length / count);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces.length ? pieces : [''];
}

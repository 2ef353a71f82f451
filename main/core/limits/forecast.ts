import type { Plan } from '../../../shared/domain';
import type { CatalogModel } from '../upstream/types';
import { limitsFor, type ModelLimits } from './table';

const positive = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isFinite(value) && value > 0;

/**
 * The documented limits of a model on a plan (null: the plan has no access), with the
 * per-request token caps lowered to the catalog's own when the model allows fewer.
 */
export function forecastLimits(model: CatalogModel, plan: Plan): ModelLimits | null {
  const limits = limitsFor(model, plan);
  if (!limits) return null;
  const maxIn = model.limits?.max_input_tokens;
  const maxOut = model.limits?.max_output_tokens;
  return {
    ...limits,
    maxInputTokens: positive(maxIn) ? Math.min(limits.maxInputTokens, maxIn) : limits.maxInputTokens,
    maxOutputTokens: positive(maxOut) && limits.maxOutputTokens > 0 ? Math.min(limits.maxOutputTokens, maxOut) : limits.maxOutputTokens,
  };
}

/** Characters of text a message content carries: a string, or text parts of a content array. */
function contentChars(content: unknown): number {
  if (typeof content === 'string') return content.length;
  if (!Array.isArray(content)) return 0;
  let chars = 0;
  for (const part of content) {
    if (typeof part === 'string') chars += part.length;
    else if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') chars += (part as { text: string }).text.length;
  }
  return chars;
}

/** Characters of an embeddings `input`: a string, strings, or pre-tokenised arrays (one token each, 4 chars). */
function inputChars(input: unknown): number {
  if (typeof input === 'string') return input.length;
  if (!Array.isArray(input)) return 0;
  let chars = 0;
  for (const item of input) {
    if (typeof item === 'string') chars += item.length;
    else if (typeof item === 'number') chars += 4;
    else if (Array.isArray(item)) chars += 4 * item.length;
  }
  return chars;
}

/**
 * A rough input-token estimate (characters / 4, rounded up) of a chat or embeddings request
 * body, to compare with maxInputTokens before sending.
 */
export function estimateTokens(body: unknown): number {
  if (!body || typeof body !== 'object') return 0;
  const { messages, input } = body as { messages?: unknown; input?: unknown };
  let chars = inputChars(input);
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (message && typeof message === 'object') chars += contentChars((message as { content?: unknown }).content);
    }
  }
  return Math.ceil(chars / 4);
}

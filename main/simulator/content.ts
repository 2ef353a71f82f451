import { hashString, mulberry32 } from './prng';

/** Deterministic stand-ins for model output: reply words, token estimates, embedding vectors. */

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** The text of chat messages (string contents and the text parts of array contents). */
export function promptText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  const parts: string[] = [];
  for (const message of messages) {
    const content = (message as { content?: unknown } | null)?.content;
    if (typeof content === 'string') parts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        const text = (part as { text?: unknown } | null)?.text;
        if (typeof text === 'string') parts.push(text);
      }
    }
  }
  return parts.join('\n');
}

const FILLER = 'This is a simulated reply from the Switchyard GitHub Models simulator with deterministic words for tests'.split(' ');

export interface ReplyWords {
  /** Words, each but the first starting with a space, so that joining them gives the text. */
  words: string[];
  /** 'length' when max_tokens cut the reply short. */
  finishReason: 'stop' | 'length';
}

/**
 * `Hello from <model> as <login>.` followed by filler words up to `minWords` words (at least 12),
 * cut to `maxTokens` words when that is smaller (one word counts as one token).
 */
export function replyWords(modelId: string, login: string, maxTokens: number | null, minWords = 12): ReplyWords {
  const all = `Hello from ${modelId} as ${login}.`.split(' ');
  const target = Math.max(12, minWords);
  for (let i = 0; all.length < target; i++) all.push(FILLER[i % FILLER.length] ?? 'word');
  all[all.length - 1] += '.';
  const cap = maxTokens !== null && maxTokens > 0 ? maxTokens : all.length;
  const words = all.slice(0, Math.min(cap, all.length)).map((w, i) => (i === 0 ? w : ` ${w}`));
  return { words, finishReason: cap < all.length ? 'length' : 'stop' };
}

/** A unit vector of `dims` floats, the same for the same input. */
export function embeddingVector(input: string, dims: number): number[] {
  const next = mulberry32(hashString(input));
  const raw = Array.from({ length: dims }, () => next() * 2 - 1);
  const norm = Math.hypot(...raw) || 1;
  return raw.map((v) => Math.round((v / norm) * 1e6) / 1e6);
}

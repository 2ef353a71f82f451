import { maskToken, scrubTokens } from '../mask';

/**
 * Key shapes of each provider (their documented prefixes), for masking text that leaves the
 * process. GitHub's are main/core/mask.ts's; Azure, Cloudflare and Mistral keys have no prefix.
 */
export const KEY_PATTERNS = {
  groq: [/\bgsk_[A-Za-z0-9]{10,}/g],
  gemini: [/\bAIza[A-Za-z0-9_-]{20,}/g],
  cerebras: [/\bcsk-[A-Za-z0-9]{10,}/g],
  openrouter: [/\bsk-or-v1-[A-Za-z0-9]{10,}/g],
  openai: [/\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g],
  nvidia: [/\bnvapi-[A-Za-z0-9_-]{10,}/g],
} satisfies Record<string, RegExp[]>;

const ALL = Object.values(KEY_PATTERNS).flat();

/** Masks every key-shaped run of any provider (and GitHub's tokens) in a text. */
export function scrubKeys(text: string): string {
  return ALL.reduce((out, pattern) => out.replace(pattern, maskToken), scrubTokens(text));
}

const MAX_MESSAGE = 500;

/** A provider's words for people: one line, at most 500 characters, keys masked. */
export function tidyMessage(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return scrubKeys(line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line);
}

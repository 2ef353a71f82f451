/**
 * The one place that knows what a GitHub token looks like and how it is shown: masked as
 * `gho_…Xq` (first 4 characters, an ellipsis, last 2) — enough to recognise, never enough to use.
 */
export function maskToken(token: string): string {
  if (token.length <= 8) return '…';
  return `${token.slice(0, 4)}…${token.slice(-2)}`;
}

/** GitHub token shapes: classic, OAuth, user-to-server, server-to-server, refresh, fine-grained. */
export const GITHUB_TOKEN = /\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{10,}/g;

/** Masks every token-shaped run in a text (error messages, log lines, upstream bodies). */
export function scrubTokens(text: string): string {
  return text.replace(GITHUB_TOKEN, maskToken);
}

/** `gho_abcdef…Xq` → `gho_…Xq`: enough to recognise a token, never enough to use it. */
export function maskToken(token: string): string {
  if (token.length <= 8) return '…';
  return `${token.slice(0, 4)}…${token.slice(-2)}`;
}

/**
 * The one place that knows what a provider key looks like and how it is shown: masked as
 * `gho_…Xq` (first 4 characters, an ellipsis, last 2) — enough to recognise, never enough to use.
 */
export function maskToken(token: string): string {
  if (token.length <= 8) return '…';
  return `${token.slice(0, 4)}…${token.slice(-2)}`;
}

/**
 * Key shapes of every provider Switchyard may hold a key for (see shared/reference/providers.md):
 * GitHub (classic, OAuth, user-to-server, server-to-server, refresh, fine-grained, old 40-hex PATs),
 * Anthropic `sk-ant-`, OpenAI / OpenRouter `sk-`, `sk-proj-`, `sk-or-v1-` (and Switchyard's own
 * `sk-switchyard-`), Groq `gsk_`, Cerebras `csk-`, Gemini `AIza…`, NVIDIA `nvapi-`.
 */
const KEY_SHAPES: readonly RegExp[] = [
  /\b(?:gh[pousr]_|github_pat_)[A-Za-z0-9_]{10,}/g,
  /\b(?:sk|csk)-[A-Za-z0-9_-]{16,}/g,
  /\bgsk_[A-Za-z0-9]{16,}/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
  /\bnvapi-[A-Za-z0-9_-]{16,}/g,
  /\b[0-9a-f]{40}\b/g,
];

/** GitHub token shapes: classic, OAuth, user-to-server, server-to-server, refresh, fine-grained. */
export const GITHUB_TOKEN = /\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{10,}/g;

/** Keys without a prefix (Mistral, Cloudflare, Azure: 32+ alphanumerics) are recognised by the word before them. */
const CONTEXT_KEY = /\b(bearer|key|token)(["']?\s*[:=]?\s*["']?\s*)([A-Za-z0-9]{32,})\b/gi;

/** Masks every key-shaped run in a text (error messages, log lines, upstream bodies). */
export function scrubTokens(text: string): string {
  let out = text;
  for (const shape of KEY_SHAPES) out = out.replace(shape, maskToken);
  return out.replace(CONTEXT_KEY, (_whole, word: string, between: string, key: string) => `${word}${between}${maskToken(key)}`);
}

/** Shorter strings are not treated as secrets (they would match ordinary words). */
export const MIN_SECRET_LENGTH = 8;

type SecretSource = () => Iterable<string | null | undefined>;

/**
 * Masks the literal values of the keys this process holds (whatever they look like) and the key
 * shapes of every provider. One per engine, handed to whatever lets text out (logger, HTTP answers,
 * snapshot, events, state files); the engine tells it which keys it holds.
 */
export interface Redactor {
  /** A source of held keys, read on every redaction (so it follows accounts being added and removed). Returns an untrack function. */
  track(source: SecretSource): () => void;
  /** Literal values and key shapes. */
  redact(text: string): string;
  /** Literal values only (for machine-read text such as the pool's ledger, where a shape could be data). */
  redactLiterals(text: string): string;
  /** A deep copy of a JSON-like value with every string (keys included) redacted. */
  redactDeep<T>(value: T, options?: { shapes?: boolean }): T;
  /** The held keys right now, longest first. */
  secrets(): string[];
}

export function createRedactor(...initial: SecretSource[]): Redactor {
  const sources = new Set<SecretSource>(initial);
  const secrets = () => {
    const all = new Set<string>();
    for (const source of sources) for (const secret of source()) if (secret && secret.length >= MIN_SECRET_LENGTH) all.add(secret);
    return [...all].sort((a, b) => b.length - a.length);
  };
  const redactLiterals = (text: string, list = secrets()) => {
    let out = text;
    for (const secret of list) if (out.includes(secret)) out = out.split(secret).join(maskToken(secret));
    return out;
  };
  const redact = (text: string, list = secrets()) => scrubTokens(redactLiterals(text, list));
  return {
    track(source) {
      sources.add(source);
      return () => void sources.delete(source);
    },
    redact: (text) => redact(text),
    redactLiterals: (text) => redactLiterals(text),
    redactDeep<T>(value: T, options: { shapes?: boolean } = {}): T {
      const list = secrets();
      const one = options.shapes === false ? (text: string) => redactLiterals(text, list) : (text: string) => redact(text, list);
      const walk = (v: unknown, depth: number): unknown => {
        if (typeof v === 'string') return one(v);
        if (depth > 32 || v === null || typeof v !== 'object') return v;
        if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
        return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [one(k), walk(x, depth + 1)]));
      };
      return walk(value, 0) as T;
    },
    secrets,
  };
}

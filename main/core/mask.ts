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

/** Up to this many held keys, each is looked for in the text directly; beyond, one pass finds which occur. */
const FEW_SECRETS = 16;

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Polynomial hash of text[from, from + MIN_SECRET_LENGTH), mod 2^32. */
const HASH_BASE = 31;
function headHash(text: string, from: number): number {
  let h = 0;
  for (let i = from; i < from + MIN_SECRET_LENGTH; i++) h = (Math.imul(h, HASH_BASE) + text.charCodeAt(i)) >>> 0;
  return h;
}

/**
 * Which of many secrets occur in a text, in one pass (Rabin–Karp over their first
 * MIN_SECRET_LENGTH characters), instead of one scan of the text per secret: with a thousand
 * accounts a state file or snapshot would otherwise be read a thousand times per redaction.
 * Returns them in `list`'s order (longest first), so the replacements that follow are the same
 * as looking for every secret. Secrets containing an ellipsis are always returned (a mask put
 * in by an earlier replacement could complete one).
 */
function secretFinder(list: readonly string[]): (text: string) => string[] {
  const byHead = new Map<number, string[]>();
  const always: string[] = [];
  for (const secret of list) {
    if (secret.includes('…')) always.push(secret);
    const h = headHash(secret, 0);
    const same = byHead.get(h);
    if (same) same.push(secret);
    else byHead.set(h, [secret]);
  }
  // HASH_BASE^(MIN_SECRET_LENGTH - 1) mod 2^32: the weight of the character leaving the window.
  let top = 1;
  for (let i = 1; i < MIN_SECRET_LENGTH; i++) top = Math.imul(top, HASH_BASE) >>> 0;
  return (text) => {
    const found = new Set<string>(always);
    const w = MIN_SECRET_LENGTH;
    if (text.length >= w) {
      let h = headHash(text, 0);
      for (let i = 0; ; i++) {
        const candidates = byHead.get(h);
        if (candidates) for (const secret of candidates) if (!found.has(secret) && text.startsWith(secret, i)) found.add(secret);
        if (i + w >= text.length) break;
        h = (Math.imul((h - Math.imul(text.charCodeAt(i), top)) >>> 0, HASH_BASE) + text.charCodeAt(i + w)) >>> 0;
      }
    }
    return found.size === 0 ? [] : list.filter((secret) => found.has(secret));
  };
}

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
  let finder: { list: string[]; present: (text: string) => string[] } | null = null;
  const presentIn = (text: string, list: string[]): string[] => {
    if (list.length <= FEW_SECRETS) return list;
    if (!finder || !sameList(finder.list, list)) finder = { list, present: secretFinder(list) };
    return finder.present(text);
  };
  const redactLiterals = (text: string, list = secrets()) => {
    let out = text;
    for (const secret of presentIn(text, list)) if (out.includes(secret)) out = out.split(secret).join(maskToken(secret));
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

import pino, { type DestinationStream, type Logger } from 'pino';
import { createRequire } from 'node:module';
import { scrubTokens, type Redactor } from './mask';

/**
 * Redacted wherever they appear in a log line: every provider's key shapes (mask.ts), and whatever
 * follows `Bearer` / `Basic` in a header value quoted into a message.
 */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

/** Field names whose value is a secret whatever it looks like (compared case-insensitively). */
const SECRET_KEYS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'token', 'access_token', 'apikey', 'api_key', 'api-key', 'adminkey', 'admin_key', 'x-switchyard-admin-key', 'password', 'secret']);

export function redactTokens(text: string): string {
  return scrubTokens(text).replace(AUTH_SCHEME, (_whole, scheme: string) => `${scheme} [redacted]`);
}

export interface LoggerOptions {
  /**
   * The process start id, on every line as `startId`. A function when it is known only after the
   * logger exists (`switchyard serve` reads it from the engine it hands the logger to).
   */
  startId: string | (() => string);
  level?: string;
  /** Human-readable lines (pino-pretty) instead of JSON lines. */
  pretty?: boolean;
  /** Where lines go (default: stdout). */
  destination?: DestinationStream;
  /** Also masks the literal keys this process holds (the engine's redactor), whatever they look like. */
  redactor?: Redactor;
}

/**
 * pino for Switchyard. JSON lines by default (one object per line: `level`, `time`, `startId`,
 * `tag`, `msg`, …); with `pretty`, `HH:MM:ss.l INFO  <startId> [tag] message`. Secrets never reach
 * the output: fields named like a secret (authorization, token, apiKey, …) at any depth are replaced
 * by "[redacted]" and token-shaped text anywhere (messages, error messages and stacks) is masked.
 */
export function createLogger(options: LoggerOptions): Logger {
  const startId = typeof options.startId === 'function' ? options.startId : () => options.startId as string;
  const literals = options.redactor;
  const clean = literals ? (text: string) => redactTokens(literals.redactLiterals(text)) : redactTokens;
  const config: pino.LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    // A mixin, not a binding: a line that names its own startId (the engine's restart line) replaces it instead of repeating the key.
    mixin: () => ({ startId: startId() }),
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? clean(arg) : arg)) as Parameters<typeof method>);
      },
    },
    formatters: {
      log: (object) => scrub(object, clean) as Record<string, unknown>,
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.pretty) {
    // Loaded only when asked for (a terminal): JSON lines, the headless default, never need its ~8 MB.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    return pino(config, pretty({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,startId,tag', messageFormat: '{startId} {if tag}[{tag}] {end}{msg}', destination: options.destination ?? 1, sync: true }));
  }
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** Deep copy with secret-named fields replaced and token-shaped strings masked (errors included). */
function scrub(value: unknown, clean: (text: string) => string, depth = 0): unknown {
  if (depth > 8) return '[too deep]';
  if (typeof value === 'string') return clean(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: clean(value.message) };
    if (value.stack) out.stack = clean(value.stack);
    const code = (value as NodeJS.ErrnoException).code;
    if (code) out.code = typeof code === 'string' ? clean(code) : code;
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, clean, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.has(k.toLowerCase()) && v !== null && v !== undefined ? '[redacted]' : scrub(v, clean, depth + 1);
    return out;
  }
  return value;
}

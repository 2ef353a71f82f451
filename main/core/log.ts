import pino, { type DestinationStream, type Logger } from 'pino';

/** Token shapes GitHub issues (classic, fine-grained, OAuth, app) — redacted wherever they appear in a log line. */
export const TOKEN_PATTERN = /\b(gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})\b/g;

export function redactTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, (token) => `${token.slice(0, 4)}…[redacted]`);
}

export interface LoggerOptions {
  startId: string;
  level?: string;
  /** Human-readable lines (pino-pretty) instead of JSON. */
  pretty?: boolean;
  destination?: DestinationStream;
}

const REDACT_PATHS = [
  'authorization',
  'token',
  '*.token',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'err.config.headers.Authorization',
];

/**
 * pino with the authorization header and anything token-shaped redacted, and the process start
 * id on every line (`startId`), so lines from different runs are never mixed up.
 */
export function createLogger(options: LoggerOptions): Logger {
  const config: pino.LoggerOptions = {
    level: options.level ?? process.env.LOG_LEVEL ?? 'info',
    base: { startId: options.startId, pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? redactTokens(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
    formatters: {
      log: (object) => scrub(object) as Record<string, unknown>,
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.pretty) {
    return pino(config, pino.transport({ target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', destination: 1 } }));
  }
  return options.destination ? pino(config, options.destination) : pino(config);
}

/** Deep copy with token-shaped strings redacted (errors' messages and stacks included). */
function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return value;
  if (typeof value === 'string') return redactTokens(value);
  if (value instanceof Error) return { type: value.name, message: redactTokens(value.message), stack: value.stack ? redactTokens(value.stack) : undefined };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
    return out;
  }
  return value;
}

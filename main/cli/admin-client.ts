import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import { ADMIN_ROUTES } from '../../shared/admin-routes';
import { resolveDataDir } from '../core/state/data-dir';
import { readInstanceRecord } from '../core/state/instance-record';

/** A failure the CLI reports as one line (no stack trace) and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface AdminKeyCandidate {
  key: string;
  /** Where it came from, for messages: "--key" or a file path. */
  source: string;
}

export interface AdminTarget {
  /** Origin of the running instance, e.g. http://127.0.0.1:4000 */
  url: string;
  keys: AdminKeyCandidate[];
  dataDir: string;
}

const DEFAULT_PORT = 4000;

/** `localhost:4000/` → `http://localhost:4000`; a wildcard host becomes loopback. */
export function normalizeUrl(raw: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError(`switchyard: --url ${raw} is not a URL (example: http://127.0.0.1:4000).`, 2);
  }
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.origin;
}

async function readText(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
}

/**
 * Where the running instance is: --url, else HOST/PORT, else the address `serve` recorded in the
 * data folder (instance.json), else the saved settings, else 127.0.0.1:4000.
 */
async function defaultUrl(env: Record<string, string | undefined>, dataDir: string): Promise<string> {
  let host = env.HOST?.trim() || undefined;
  let port = env.PORT?.trim() || undefined;
  if (!host && !port) {
    const running = await readInstanceRecord(dataDir);
    if (running) return normalizeUrl(running.url);
  }
  if (!host || !port) {
    const saved = await readText(join(dataDir, 'settings.json'));
    try {
      const settings = saved ? (JSON.parse(saved) as { host?: unknown; port?: unknown }) : {};
      if (!host && typeof settings.host === 'string') host = settings.host;
      if (!port && typeof settings.port === 'number' && settings.port > 0) port = String(settings.port);
    } catch {
      // an unreadable settings file: the defaults below
    }
  }
  const name = host ?? '127.0.0.1';
  return normalizeUrl(`${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${port ?? DEFAULT_PORT}`);
}

/**
 * The instance to talk to and the admin keys to try: `--key`, else the data folder's `admin.key`
 * (and `simulate/admin.key`, which `serve --simulate` uses).
 */
export async function resolveTarget(flags: { url?: string; key?: string }, env: Record<string, string | undefined>): Promise<AdminTarget> {
  const dataDir = await resolveDataDir(env);
  const url = flags.url ? normalizeUrl(flags.url) : await defaultUrl(env, dataDir);
  if (flags.key) return { url, dataDir, keys: [{ key: flags.key.trim(), source: '--key' }] };
  const keys: AdminKeyCandidate[] = [];
  for (const file of [join(dataDir, 'admin.key'), join(dataDir, 'simulate', 'admin.key')]) {
    const key = await readText(file);
    if (key) keys.push({ key, source: file });
  }
  return { url, dataDir, keys };
}

export function nothingRunning(url: string, reason: string): CliError {
  return new CliError(`switchyard: nothing is running at ${url} (${reason}). Start it with \`npm run serve\` or the desktop app.`, 2);
}

function connectionProblem(error: unknown, url: string): CliError {
  const err = error as { name?: string; code?: string; errors?: { code?: string }[] };
  const code = err.code ?? err.errors?.[0]?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return new CliError(`switchyard: ${url} did not answer within 5 s. Is it a Switchyard?`, 2);
  const reason = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'no such host' : code ? code.toLowerCase() : 'no connection';
  return nothingRunning(url, reason);
}

type Route = (typeof ADMIN_ROUTES)[keyof typeof ADMIN_ROUTES];
type Reply = Dispatcher.ResponseData;

/**
 * The CLI's HTTP client for the admin API (undici's request, which, unlike fetch, allows any port):
 * tries each key candidate, maps every failure to one line.
 */
export class AdminClient {
  private working: AdminKeyCandidate | null = null;

  constructor(readonly target: AdminTarget) {}

  get url(): string {
    return this.target.url;
  }

  /** A JSON call; resolves to the parsed body (undefined for 204). */
  async call<T>(route: Route, body?: unknown, query?: Record<string, string | number>): Promise<T> {
    const search = query ? `?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}` : '';
    const reply = await this.open(`${route.path}${search}`, { method: route.method, body, timeoutMs: 5_000 });
    const text = await reply.body.text();
    return (reply.statusCode === 204 || text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The SSE stream (`event: snapshot` / `delta` / `events`): an async iterable of byte chunks until `signal` aborts. */
  async stream(signal: AbortSignal): Promise<AsyncIterable<Buffer>> {
    const reply = await this.open(ADMIN_ROUTES.stream.path, { method: 'GET', signal, accept: 'text/event-stream' });
    return reply.body;
  }

  private async open(path: string, options: { method: string; body?: unknown; timeoutMs?: number; signal?: AbortSignal; accept?: string }): Promise<Reply> {
    const candidates: (AdminKeyCandidate | null)[] = this.working ? [this.working] : this.target.keys.length ? this.target.keys : [null];
    let refused: AdminKeyCandidate | null = null;
    for (const candidate of candidates) {
      let reply: Reply;
      try {
        // Loaded here, not at the top: `switchyard serve` shares this bundle and never calls the admin API.
        const { request } = await import('undici');
        reply = await request(`${this.target.url}${path}`, {
          method: options.method as Dispatcher.HttpMethod,
          headers: {
            accept: options.accept ?? 'application/json',
            ...(candidate ? { authorization: `Bearer ${candidate.key}` } : {}),
            ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
          signal: options.signal,
          headersTimeout: options.timeoutMs ?? 5_000,
          bodyTimeout: options.timeoutMs ?? 0,
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        throw connectionProblem(error, this.target.url);
      }
      if (reply.statusCode === 401) {
        await reply.body.dump();
        refused = candidate;
        continue;
      }
      if (reply.statusCode >= 400) throw await this.failure(reply);
      this.working = candidate;
      return reply;
    }
    throw this.keyRefused(refused);
  }

  private keyRefused(last: AdminKeyCandidate | null): CliError {
    const url = this.target.url;
    if (!last) {
      return new CliError(`switchyard: ${url} needs the admin key, and there is none in ${join(this.target.dataDir, 'admin.key')}. Pass it with --key, or set SWITCHYARD_DATA_DIR to the data folder of the running Switchyard.`, 2);
    }
    const from = last.source === '--key' ? 'given with --key' : `read from ${this.target.keys.map((k) => k.source).join(' and ')}`;
    return new CliError(`switchyard: ${url} refused the admin key (${from}). Pass the right one with --key, or set SWITCHYARD_DATA_DIR to the data folder of the running Switchyard.`, 2);
  }

  private async failure(reply: Reply): Promise<CliError> {
    const message = await errorMessage(reply);
    if (reply.statusCode === 404 && !message) return new CliError(`switchyard: ${this.target.url} is not a Switchyard admin API (it answered 404). Is another program using that port?`, 2);
    if (reply.statusCode === 403) return new CliError(`switchyard: ${this.target.url} refused: ${message}`, 2);
    return new CliError(`switchyard: ${message || `${this.target.url} answered ${reply.statusCode}`}`, 1);
  }
}

/** The message of an OpenAI-shaped error body, or '' when the body is something else. */
async function errorMessage(reply: Reply): Promise<string> {
  const text = await reply.body.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    return typeof parsed.error?.message === 'string' ? parsed.error.message : '';
  } catch {
    return '';
  }
}

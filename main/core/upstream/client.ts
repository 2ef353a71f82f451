import { Readable } from 'node:stream';
import { Agent } from 'undici';
import { parseCatalogModels } from './catalog-schema';
import { readErrorInfo } from './error-info';
import { mapNetworkError } from './network-errors';
import {
  UpstreamHttpError,
  type CatalogModel,
  type GitHubUser,
  type InferenceKind,
  type UpstreamClient,
  type UpstreamClientOptions,
  type UpstreamReply,
  type UpstreamTimeouts,
} from './types';

export const GITHUB_API_VERSION = '2022-11-28';
const DEFAULT_USER_AGENT = 'switchyard';
/** Largest JSON answer read whole (catalog, /user). */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

const INFERENCE_PATHS: Record<InferenceKind, string> = {
  chat: '/inference/chat/completions',
  embeddings: '/inference/embeddings',
};

interface Base {
  origin: string;
  /** Path prefix without a trailing slash ('' for none). */
  prefix: string;
  host: string;
}

function parseBase(url: string): Base {
  const parsed = new URL(url);
  return { origin: parsed.origin, prefix: parsed.pathname.replace(/\/+$/, ''), host: parsed.host };
}

/** Lower-cased names, first value of each. */
export function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name.toLowerCase()] = first;
  }
  return headers;
}

/** True when a chat body asks for a stream (`"stream": true` at the top level). */
export function wantsStream(body: Uint8Array | string): boolean {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (!text.includes('"stream"')) return false;
  try {
    return (JSON.parse(text) as { stream?: unknown } | null)?.stream === true;
  } catch {
    return false;
  }
}

/**
 * The response body as a plain Readable whose errors are UpstreamNetworkErrors
 * (idle timeout, reset, abort). Destroying it destroys the upstream body.
 */
export function mappedBody(source: Readable, signal: AbortSignal | undefined, host: string, provider?: string): Readable {
  return new MappedBody(source, signal, host, provider);
}

/**
 * mappedBody's stream: upstream's chunks pushed as they come (upstream paused while this one's
 * buffer is full, resumed when it is read), its end this one's end, its error mapped. One
 * Readable and three listeners, where a PassThrough and pipe() cost a Duplex and a dozen.
 */
class MappedBody extends Readable {
  constructor(
    private readonly source: Readable,
    signal: AbortSignal | undefined,
    host: string,
    provider: string | undefined,
  ) {
    super();
    source.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) source.pause();
    });
    source.once('end', () => this.push(null));
    source.on('error', (error) => this.destroy(mapNetworkError(error, signal, host, provider)));
  }

  override _read(): void {
    this.source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.source.destroy();
    callback(error);
  }
}

export async function readAll(body: Readable, signal: AbortSignal | undefined, host: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size > MAX_JSON_BYTES) break;
    }
  } catch (error) {
    throw mapNetworkError(error, signal, host);
  }
  if (size > MAX_JSON_BYTES) throw new Error(`answer from ${host} is larger than ${MAX_JSON_BYTES} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}

/** The undici agent every upstream request goes through: the timeouts, one request per connection, keep-alive. */
export function createUpstreamAgent(timeouts: UpstreamTimeouts): Agent {
  return new Agent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.firstByteMs,
    bodyTimeout: timeouts.idleMs,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
  });
}

export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  const models = parseBase(options.modelsBaseUrl);
  const api = parseBase(options.apiBaseUrl);
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  const agent = createUpstreamAgent(options.timeouts);
  let closing: Promise<void> | null = null;
  // The inference headers of each token and accept, built once (undici only reads them): no object and
  // no "Bearer …" string per request. As many entries as accounts; cleared if tokens keep changing.
  const headerSets = new Map<string, { json: Record<string, string>; sse: Record<string, string> }>();
  function inferenceHeaders(token: string, accept: 'text/event-stream' | 'application/json'): Record<string, string> {
    let sets = headerSets.get(token);
    if (!sets) {
      if (headerSets.size >= 1_000) headerSets.clear();
      const of = (type: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: type, 'x-github-api-version': GITHUB_API_VERSION, 'user-agent': userAgent });
      sets = { json: of('application/json'), sse: of('text/event-stream') };
      headerSets.set(token, sets);
    }
    return accept === 'application/json' ? sets.json : sets.sse;
  }

  async function getText(base: Base, path: string, headers: Record<string, string>, signal?: AbortSignal) {
    let res: Awaited<ReturnType<typeof agent.request>>;
    try {
      res = await agent.request({ origin: base.origin, path: base.prefix + path, method: 'GET', headers, signal });
    } catch (error) {
      throw mapNetworkError(error, signal, base.host);
    }
    const text = await readAll(res.body, signal, base.host);
    return { status: res.statusCode, headers: flattenHeaders(res.headers), text };
  }

  function parseJsonAnswer(text: string, what: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${what}: answer is not JSON`);
    }
  }

  return {
    async send(kind, token, body, signal, stream): Promise<UpstreamReply> {
      // Callers that already parsed the body say whether it streams; reading it again costs a JSON.parse.
      const accept = kind === 'chat' && (stream ?? wantsStream(body)) ? 'text/event-stream' : 'application/json';
      try {
        const res = await agent.request({ origin: models.origin, path: models.prefix + INFERENCE_PATHS[kind], method: 'POST', headers: inferenceHeaders(token, accept), body, signal });
        return { status: res.statusCode, headers: flattenHeaders(res.headers), body: mappedBody(res.body, signal, models.host) };
      } catch (error) {
        throw mapNetworkError(error, signal, models.host);
      }
    },

    async getUser(token, signal): Promise<GitHubUser> {
      const answer = await getText(
        api,
        '/user',
        {
          authorization: `Bearer ${token}`,
          accept: 'application/vnd.github+json',
          'x-github-api-version': GITHUB_API_VERSION,
          'user-agent': userAgent,
        },
        signal,
      );
      if (answer.status < 200 || answer.status >= 300) {
        throw new UpstreamHttpError(answer.status, readErrorInfo(answer.status, answer.headers, answer.text));
      }
      const json = parseJsonAnswer(answer.text, 'GET /user') as { login?: unknown; id?: unknown; avatar_url?: unknown } | null;
      if (typeof json?.login !== 'string' || json.login === '') throw new Error('GET /user: answer has no login');
      return {
        login: json.login,
        id: typeof json.id === 'number' ? json.id : null,
        avatarUrl: typeof json.avatar_url === 'string' ? json.avatar_url : null,
      };
    },

    async listCatalog(token, signal): Promise<CatalogModel[]> {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'x-github-api-version': GITHUB_API_VERSION,
        'user-agent': userAgent,
      };
      if (token) headers.authorization = `Bearer ${token}`;
      const answer = await getText(models, '/catalog/models', headers, signal);
      if (answer.status < 200 || answer.status >= 300) {
        throw new UpstreamHttpError(answer.status, readErrorInfo(answer.status, answer.headers, answer.text));
      }
      return parseCatalogModels(parseJsonAnswer(answer.text, 'GET /catalog/models'));
    },

    /** Closes every connection at once; responses still being read fail with failure 'aborted'. */
    close(): Promise<void> {
      closing ??= agent.destroy();
      return closing;
    },
  };
}

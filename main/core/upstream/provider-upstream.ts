// One sender for every provider: the provider's descriptor builds the request, the shared undici
// agent of client.ts sends it (same timeouts, header flattening, body mapping, network errors).
import { Agent } from 'undici';
import { bodyText } from '../providers/http';
import { providerFor } from '../providers/index';
import type { ClientError, Operation, ProviderCredentials, ProviderId, ProviderModel, ProviderRequest } from '../providers/types';
import { createUpstreamAgent, flattenHeaders, mappedBody, readAll } from './client';
import { mapNetworkError } from './network-errors';
import type { UpstreamReply, UpstreamTimeouts } from './types';

/** One account as the sender needs it. The key is never logged or put in an error. */
export interface UpstreamAccount extends ProviderCredentials {
  provider: ProviderId;
}

/** Who owns the quota a key spends, as the provider's identity answer names it. */
export interface AccountIdentity {
  ownerId: string;
  label: string;
}

/** The provider answered a models list or identity request with a non-2xx status. */
export class ProviderHttpError extends Error {
  constructor(
    readonly provider: ProviderId,
    readonly status: number,
    /** The provider's error body, OpenAI-shaped (descriptor.translateError). */
    readonly error: ClientError,
  ) {
    super(`${providerFor(provider).name} answered ${status}: ${error.message}`);
    this.name = 'ProviderHttpError';
  }
}

export interface ProviderUpstream {
  /**
   * POSTs an operation to the account's provider. `body` is the OpenAI-shaped request (parsed, or
   * its JSON text/bytes); `stream` defaults to the body's `stream: true`. `parsed`: the same body
   * as an object, when the caller has it (no JSON.parse here); bytes the provider's quirks leave
   * unchanged go as they are. The caller must consume or destroy the reply's body.
   */
  send(op: Operation, account: UpstreamAccount, body: Record<string, unknown> | Uint8Array | string, signal: AbortSignal, stream?: boolean, parsed?: Record<string, unknown>): Promise<UpstreamReply>;
  /** The quota owner the provider names for this key; null when the provider has no identity request. */
  identify(account: UpstreamAccount, signal?: AbortSignal): Promise<AccountIdentity | null>;
  /** The provider's models list, normalised by its descriptor. */
  listModels(account: UpstreamAccount, signal?: AbortSignal): Promise<ProviderModel[]>;
  /** Closes every connection; answers still being read fail with failure 'aborted'. */
  close(): Promise<void>;
}

export interface ProviderUpstreamOptions {
  timeouts: UpstreamTimeouts;
}

function parsedBody(body: Record<string, unknown> | Uint8Array | string): Record<string, unknown> {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const json: unknown = JSON.parse(bodyText({ body }));
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('the request body is not a JSON object');
  return json as Record<string, unknown>;
}

interface Where {
  origin: string;
  path: string;
  host: string;
}

/** Parsed addresses, one per account and operation: no URL parse per request. */
const addresses = new Map<string, Where>();
const MAX_ADDRESSES = 1_000;

function target(url: string): Where {
  let where = addresses.get(url);
  if (!where) {
    const parsed = new URL(url);
    where = { origin: parsed.origin, path: parsed.pathname + parsed.search, host: parsed.host };
    if (addresses.size >= MAX_ADDRESSES) addresses.clear();
    addresses.set(url, where);
  }
  return where;
}

export function createProviderUpstream(options: ProviderUpstreamOptions): ProviderUpstream {
  const agent: Agent = createUpstreamAgent(options.timeouts);
  let closing: Promise<void> | null = null;

  async function open(built: ProviderRequest, signal: AbortSignal | undefined, provider: string) {
    const where = target(built.url);
    try {
      const res = await agent.request({
        origin: where.origin,
        path: where.path,
        method: built.method,
        headers: built.headers,
        ...(built.body !== undefined ? { body: built.body } : {}),
        signal,
      });
      return { res, host: where.host };
    } catch (error) {
      throw mapNetworkError(error, signal, where.host, provider);
    }
  }

  async function getJson(account: UpstreamAccount, built: ProviderRequest, what: string, signal?: AbortSignal): Promise<unknown> {
    const { res, host } = await open(built, signal, providerFor(account.provider).name);
    const text = await readAll(res.body, signal, host);
    const headers = flattenHeaders(res.headers);
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw new ProviderHttpError(account.provider, res.statusCode, providerFor(account.provider).translateError(res.statusCode, headers, text));
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${providerFor(account.provider).name} ${what}: the answer is not JSON`);
    }
  }

  return {
    async send(op, account, body, signal, stream, parsed) {
      const object = parsed ?? parsedBody(body);
      const sent = typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? body : undefined;
      const built = providerFor(account.provider).buildRequest(op, account, object, sent);
      const streaming = op === 'chat' && (stream ?? object.stream === true);
      built.headers.accept = streaming ? 'text/event-stream' : (built.headers.accept ?? 'application/json');
      const name = providerFor(account.provider).name;
      const { res, host } = await open(built, signal, name);
      return { status: res.statusCode, headers: flattenHeaders(res.headers), body: mappedBody(res.body, signal, host, name) };
    },

    async identify(account, signal) {
      const provider = providerFor(account.provider);
      if (!provider.identityRequest || !provider.readIdentity) return null;
      const json = await getJson(account, provider.identityRequest(account), 'identity', signal);
      return provider.readIdentity(json);
    },

    async listModels(account, signal) {
      const provider = providerFor(account.provider);
      const json = await getJson(account, provider.catalogRequest(account), 'models list', signal);
      return provider.parseCatalog(json);
    },

    close() {
      closing ??= agent.destroy();
      return closing;
    },
  };
}

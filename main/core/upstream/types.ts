import type { Readable } from 'node:stream';
import type { LimitType, ResetSource } from '../../../shared/domain';
import type { ProviderCredentials, ProviderId } from '../providers/types';

export interface UpstreamTimeouts {
  connectMs: number;
  /** Until response headers arrive. */
  firstByteMs: number;
  /** Longest silence between body chunks. */
  idleMs: number;
}

export interface UpstreamClientOptions {
  /** GITHUB_MODELS_BASE_URL, default https://models.github.ai */
  modelsBaseUrl: string;
  /** GITHUB_API_BASE_URL, default https://api.github.com */
  apiBaseUrl: string;
  timeouts: UpstreamTimeouts;
  userAgent?: string;
}

export type InferenceKind = 'chat' | 'embeddings';

/** A response whose headers have arrived. The caller must consume or destroy `body`. */
export interface UpstreamReply {
  status: number;
  /** Lower-cased names, first value of each. */
  headers: Record<string, string>;
  body: Readable;
}

export interface GitHubUser {
  login: string;
  id: number | null;
  avatarUrl: string | null;
}

/** One entry of GET /catalog/models (documented shape; unknown fields kept). */
export interface CatalogModel {
  id: string;
  name: string;
  publisher: string;
  registry?: string;
  summary?: string;
  version?: string;
  capabilities?: string[];
  limits?: { max_input_tokens?: number; max_output_tokens?: number | null };
  rate_limit_tier?: string;
  supported_input_modalities?: string[];
  supported_output_modalities?: string[];
  tags?: string[];
}

/** Another provider's account to send on (GitHub Models' own accounts need none). */
export interface UpstreamTarget {
  provider: ProviderId;
  creds: ProviderCredentials;
}

export interface UpstreamClient {
  /**
   * GitHub Models: POST /inference/chat/completions or /inference/embeddings with the token as
   * bearer. With a target, the request goes to that provider as its descriptor builds it;
   * `parsed` (the body as an object, when the caller has it) spares it a JSON.parse.
   */
  send(kind: InferenceKind, token: string, body: Uint8Array | string, signal: AbortSignal, stream?: boolean, target?: UpstreamTarget, parsed?: Record<string, unknown>): Promise<UpstreamReply>;
  /** GET {apiBase}/user. Throws UpstreamHttpError (e.g. 401) or UpstreamNetworkError. */
  getUser(token: string, signal?: AbortSignal): Promise<GitHubUser>;
  /** GET {modelsBase}/catalog/models (a bare JSON array). */
  listCatalog(token: string | null, signal?: AbortSignal): Promise<CatalogModel[]>;
  /**
   * Who owns the quota a key of another provider spends, asked of the provider (OpenRouter's
   * GET {base}/key); null when the provider has no identity request. Optional: absent, owners
   * come only from the account and the provider's answers.
   */
  identify?(target: UpstreamTarget, signal?: AbortSignal): Promise<{ ownerId: string; label: string } | null>;
  close(): Promise<void>;
}

export type NetworkFailure =
  | 'connect_timeout'
  | 'first_byte_timeout'
  | 'idle_timeout'
  | 'connection_reset'
  | 'connection_refused'
  | 'dns_failure'
  | 'aborted'
  | 'other';

/** The request never got a complete answer: timeouts, resets, refused connections, aborts. */
export class UpstreamNetworkError extends Error {
  constructor(
    readonly failure: NetworkFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamNetworkError';
  }
}

/** Upstream answered with a non-2xx status (used by getUser / listCatalog). */
export class UpstreamHttpError extends Error {
  constructor(
    readonly status: number,
    readonly info: UpstreamErrorInfo,
  ) {
    super(`GitHub answered ${status}: ${info.message}`);
    this.name = 'UpstreamHttpError';
  }
}

/** What we could read from an error body (JSON or text/plain, whatever the Content-Type says). */
export interface UpstreamErrorInfo {
  status: number;
  code: string | null;
  message: string;
}

/** What a 429 tells us: which limit, and in how many seconds it resets. */
export interface RateLimitInfo {
  limitType: LimitType;
  resetSeconds: number;
  source: ResetSource;
}

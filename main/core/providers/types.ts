// The provider seam: what the engine needs to know about one LLM provider's API. One descriptor
// per provider (one file each, beside this one); the shared HTTP client stays in `upstream/`.
// Descriptors are pure: they build requests and read answers, they never send anything.

// The ids live in shared/ (the renderer's Add-account list needs them too).
import { PROVIDER_IDS, type ProviderId } from '../../../shared/providers-catalog';

export { PROVIDER_IDS, type ProviderId };

/** What is asked of upstream. Client dialects (responses, messages) are translated to these. */
export type Operation = 'chat' | 'embeddings';

/**
 * Who a limit belongs to.
 * - `model`: this owner, this model (most per-model RPM/RPD/TPM limits).
 * - `owner`: this owner, every model (an owner-wide RPM, Cloudflare's daily neurons, OpenRouter's
 *   `:free` pool for every `:free` model).
 * - `capacity`: the provider is busy (overload, queue full, an upstream provider throttling a model
 *   for everyone). Not the account's quota: a short pause at most, never a long block.
 * - `credits`: the account's credits or billing are gone; it waits for a person.
 * - `request`: this request is larger than a limit allows; the client's error, no cooldown.
 * - `concurrency`: too many requests in flight for this owner; a short pause.
 */
export type LimitScope = 'model' | 'owner' | 'capacity' | 'credits' | 'request' | 'concurrency';

export type LimitPeriod = 'second' | 'minute' | 'hour' | 'day' | 'month';
export type LimitUnit = 'requests' | 'tokens' | 'neurons';

/** Which window a limit counts over; null fields are not known from the answer. */
export interface LimitWindow {
  period: LimitPeriod | null;
  unit: LimitUnit | null;
}

/** Where the reset time was read from (providers.md §0.1 order). */
export type ResetSource =
  | 'retry-after-ms'
  | 'retry-after'
  | 'reset-header'
  | 'body'
  | 'prose'
  | 'calendar'
  | 'default';

/** One answer that limits an account, read into one shape whatever the provider's dialect. */
export interface LimitSignal {
  scope: LimitScope;
  window: LimitWindow;
  /**
   * Epoch ms when the limit lifts; null when only a person can lift it (credits, `noQuota`), and
   * for `request` scope, which sets no cooldown at all.
   */
  resetAt: number | null;
  source: ResetSource;
  /** True when the stated reset was beyond what the window allows and was cut down. */
  clamped: boolean;
  /** The limit's value when the answer states it (e.g. Groq's "Limit 30"). */
  limit?: number;
  /** The provider's words, tokens masked, for the account's status and the honest 429. */
  message: string;
  /**
   * GitHub Models' own limit type when the provider is `github` (x-ratelimit-type), so the
   * pool's existing GitHub rules keep working; absent for other providers.
   */
  githubLimitType?: string;
  /**
   * The limit covers only this group of the owner's models, not every model (OpenRouter's
   * account-wide `:free` pool: `free`, which leaves its paid models alone).
   */
  modelPool?: string;
  /**
   * The limit is zero: this owner may not use this model at all (a Gemini Pro model on the free
   * tier, `limit: 0`). Not a cooldown; `resetAt` is null.
   */
  noQuota?: boolean;
}

/** What a successful answer's rate-limit headers say remains (to pace before a 429). */
export interface RemainingHint {
  /** Whose counter it is: the (owner, model)'s, or the whole owner's (Mistral's workspace limits). */
  scope: 'model' | 'owner';
  window: LimitWindow;
  limit: number | null;
  remaining: number;
  /** Epoch ms when the window refills; null when not stated. */
  resetAt: number | null;
  /**
   * How the counter refills. `continuous` (a token bucket: Groq, Cerebras, and OpenAI's "time until
   * the rate limit resets to its initial state"): `resetAt` is when it is full again, which says how
   * much is used, so when one request's room comes back (remaining.ts, roomBackAt). `window`: the
   * whole count comes back at `resetAt` (Mistral's minute).
   */
  refill: 'continuous' | 'window';
}

/** The credentials and addresses of one account, as the provider needs them. Never logged. */
export interface ProviderCredentials {
  key: string;
  /** The base URL in effect (the provider's default, an env override, or the config's base_url). */
  baseUrl: string;
  /** Cloudflare's account id. */
  accountId?: string;
  /** Azure's resource endpoint (the base URL is derived from it). */
  endpoint?: string;
  /** GitHub's REST API base (GITHUB_API_BASE_URL) for the `/user` identity; default https://api.github.com. */
  apiBaseUrl?: string;
}

/** A request ready for the shared HTTP client. */
export interface ProviderRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  /** JSON for POST (text, or the client's own bytes when nothing in them changes); absent for GET. */
  body?: string | Uint8Array;
}

/** One model a provider serves, normalised. */
export interface ProviderModel {
  /** The id as clients use it at this provider (Gemini without `models/`). */
  id: string;
  /** The id sent upstream (Azure: the deployment name; GitHub: the publisher-prefixed id). */
  upstreamId: string;
  operations: Operation[];
  /** What the model can take, when the catalog says so. */
  capabilities?: { tools?: boolean; vision?: boolean; jsonSchema?: boolean };
  contextWindow?: number;
}

/** An OpenAI-shaped error for the client, translated from the provider's own error body. */
export interface ClientError {
  status: number;
  type: string;
  code: string | null;
  message: string;
  param: string | null;
}

/** Who owns the quota a key spends: provider + owner id (a GitHub login, a Groq org, …). */
export interface QuotaOwnerRef {
  provider: ProviderId;
  id: string;
  /**
   * How the owner was learned: asked of the provider, read from an answer, declared, the
   * provider's account named in the credentials (Cloudflare's account id, Azure's endpoint),
   * or nothing known but the key itself.
   */
  via: 'identity' | 'answer' | 'quota_group' | 'account' | 'key';
}

export interface ProviderDescriptor {
  id: ProviderId;
  /** For people: "Groq", "Google Gemini", … */
  name: string;
  /** Set when the provider no longer serves (GitHub Models since 2026-07-30). */
  retired?: { since: string; message: string };
  /** Environment names (DESIGN.md): key prefix, the same-suffix extra variable, base URL variable. */
  env: { key: string; extra?: string; baseUrl?: string };
  defaultBaseUrl: string;
  /** Shapes of this provider's keys, for masking text that leaves the process. */
  keyPatterns: RegExp[];
  /** Where a person gets a key, and what the provider offers (for Settings → Add account). */
  about: { keysUrl: string; offers: string };

  /** The request for an operation, with the provider's quirks applied (fields stripped, renamed). */
  /**
   * `sent`: the same body as JSON bytes, when the caller has them; they go as they are when the
   * provider's quirks leave the body unchanged (no JSON.stringify per request, big numbers exact).
   */
  buildRequest(op: Operation, creds: ProviderCredentials, body: Record<string, unknown>, sent?: Uint8Array): ProviderRequest;
  /** The models list request, and the reading of its answer. */
  catalogRequest(creds: ProviderCredentials): ProviderRequest;
  parseCatalog(json: unknown): ProviderModel[];
  /** Models known without asking (when the listing cannot be fetched). */
  bundledCatalog(): ProviderModel[];
  /** A model id as a client may send it, normalised for lookup (Gemini drops `models/`). */
  normalizeModelId(id: string): string;

  /** An identity request that names the quota owner (GitHub /user, OpenRouter /key); null: none. */
  identityRequest?(creds: ProviderCredentials): ProviderRequest;
  readIdentity?(json: unknown): { ownerId: string; label: string } | null;
  /** The owner named in an answer (Groq's `organization \`org_…\``), or null. */
  ownerFromAnswer?(status: number, headers: Record<string, string>, bodyText: string): string | null;

  /**
   * Reads an answer into a limit signal when it limits the account or the request (429, 402,
   * 413 over a limit, Cloudflare 4006, Cerebras queue_exceeded, …); null when the answer is not a
   * limit. `now` is epoch ms. Every reset is bounded by its window and by MAX_COOLDOWN_MS.
   */
  readLimit(status: number, headers: Record<string, string>, bodyText: string, now: number): LimitSignal | null;
  /** Rate-limit headers of a successful answer; empty when the provider sends none. */
  readRemaining(headers: Record<string, string>, now: number): RemainingHint[];
  /** The provider's error body as an OpenAI-shaped error for the client. */
  translateError(status: number, headers: Record<string, string>, bodyText: string): ClientError;
  /**
   * True when the answer says the provider is gone for good (GitHub Models' 410): every account
   * of the provider becomes retired.
   */
  isRetirement?(status: number, headers: Record<string, string>, bodyText: string): boolean;
}

/** No cooldown, whatever an answer says, lasts longer than this. */
export const MAX_COOLDOWN_MS = 32 * 24 * 3600_000;

/** Shared shapes of the simulator's provider dialects (every provider but GitHub, which has its own files). */

export const SIM_PROVIDERS = ['groq', 'gemini', 'cerebras', 'openrouter', 'mistral', 'cloudflare', 'openai', 'azure', 'nvidia'] as const;
export type SimProviderId = (typeof SIM_PROVIDERS)[number];

/**
 * One API key the simulator accepts, and who owns its quota. Keys of one `owner` (a Groq or
 * Cerebras organisation, a Gemini project, an OpenRouter or Cloudflare account, an Azure resource,
 * an OpenAI project, a Mistral organisation) share every counter.
 */
export interface ProviderKey {
  provider: SimProviderId;
  key: string;
  owner: string;
  /** Cloudflare: the account id in the URL path (default: the owner). */
  accountId?: string;
  /** OpenRouter: 10+ credits bought (1000 `:free` requests a day instead of 50). */
  creditsPurchased?: boolean;
  /** OpenRouter: a negative balance answers 402 even on `:free` models. OpenAI: 0 answers insufficient_quota. */
  balance?: number;
  /** A label shown by OpenRouter's GET /key. */
  label?: string;
}

/**
 * Limits, each counted as the provider counts it (see each provider's file); a provider reads
 * only the fields it has. Absent or null: no such limit.
 */
export interface ProviderLimits {
  rps?: number | null;
  rpm?: number | null;
  rpd?: number | null;
  tpm?: number | null;
  tpd?: number | null;
  tokensPerMonth?: number | null;
  neuronsPerDay?: number | null;
  /** OpenRouter: the `:free` pool a day once 10 credits were bought (default 1000; `rpd` is the 50). */
  freePerDayWithCredits?: number | null;
}

export interface SimModel {
  id: string;
  /** An embeddings model (chat refuses it, embeddings accept only these). */
  embeds?: boolean;
  /** Per-model limits over the provider's defaults (0 = not on this tier, e.g. Gemini Pro free). */
  limits?: ProviderLimits;
  /** OpenRouter: a `:free` model (counted in the account's free pool). */
  free?: boolean;
}

export type MeterUnit = 'requests' | 'tokens' | 'neurons';

/** How a counter empties. */
export type MeterClock =
  /** Opens at the first counted request, closes `seconds` later (GitHub, OpenAI, Azure, Mistral, NVIDIA). */
  | { kind: 'window'; seconds: number }
  /** Refills continuously at limit / seconds per second (Groq, Cerebras). */
  | { kind: 'bucket'; seconds: number }
  /** Empties at a calendar boundary (Gemini: midnight Pacific; Cloudflare: 00:00 UTC; Mistral: month). */
  | { kind: 'calendar'; next: (now: number) => number };

export interface MeterSpec {
  /** e.g. 'rpm', 'tpd', 'free-per-day'. */
  name: string;
  unit: MeterUnit;
  limit: number;
  clock: MeterClock;
  /** 'owner': one counter for every model of the owner (or of a pool such as OpenRouter's `:free`). */
  scope: 'model' | 'owner';
}

/** A refused request: which meter, and when it would admit it. */
export interface Exceeded {
  spec: MeterSpec;
  used: number;
  requested: number;
  /** Milliseconds until the request would be admitted (the window closes / the bucket refills enough). */
  waitMs: number;
  /** Epoch ms when the counter is empty again. */
  resetAt: number;
}

/** A counter's state for headers on success. */
export interface MeterView {
  spec: MeterSpec;
  used: number;
  remaining: number;
  /** Milliseconds until the counter is back to its full limit. */
  resetMs: number;
}

/** An HTTP answer, built by a dialect and sent by the handler. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** What an admitted request is, for dialects that shape their answers by it. */
export interface Admission {
  key: ProviderKey;
  model: SimModel;
  promptTokens: number;
  /** Tokens counted against token limits (the prompt plus the reply, or a reservation). */
  countedTokens: number;
  operation: 'chat' | 'embeddings';
}

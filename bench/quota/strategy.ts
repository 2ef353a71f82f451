import type { QuotaModel } from '../../main/simulator';
import type { CatalogModel, InferenceKind, UpstreamClient } from '../../main/core/upstream/types';
import type { QuotaUpstream } from './quota-upstream';
import type { BenchAccount } from './scenarios';
import type { SimClock } from './sim-clock';

/** A client request as every strategy receives it; the body carries `user: "req-<id>"`. */
export interface ClientRequest {
  id: number;
  model: CatalogModel;
  kind: InferenceKind;
  body: Uint8Array;
}

/** What the client heard. */
export interface ClientAnswer {
  status: number;
  /** Whole seconds, on refusals that announce one. */
  retryAfterSeconds: number | null;
}

/** One way of spreading requests over accounts: the engine, a baseline, or the ideal scheduler. */
export interface Strategy {
  handle(request: ClientRequest): Promise<ClientAnswer>;
  close(): Promise<void>;
}

export interface StrategyEnv {
  clock: SimClock;
  upstream: QuotaUpstream;
  accounts: readonly BenchAccount[];
  /** Read-only use only (the ideal scheduler's clairvoyance). */
  quota: QuotaModel;
  /** The engine's bounded wait (settings.maxWaitMs), also given to the ideal scheduler. */
  maxWaitMs: number;
  seed: number;
}

export interface StrategyDef {
  id: string;
  label: string;
  create(env: StrategyEnv): Promise<Strategy>;
}

/** What one upstream call told a baseline: status and the `retry-after` header (seconds). */
export interface CallResult {
  status: number;
  retryAfterSeconds: number | null;
}

/** Sends on one token, reads the whole body (a baseline relays it), and reads `retry-after`. */
export async function call(upstream: UpstreamClient, token: string, request: ClientRequest): Promise<CallResult> {
  const reply = await upstream.send(request.kind, token, request.body, new AbortController().signal);
  for await (const chunk of reply.body) void chunk;
  const header = reply.headers['retry-after'];
  const seconds = header !== undefined && /^\d+(\.\d+)?$/.test(header.trim()) ? Number(header) : null;
  return { status: reply.status, retryAfterSeconds: seconds };
}

export const served = (): ClientAnswer => ({ status: 200, retryAfterSeconds: null });

/** A refusal with Retry-After = whole seconds until `until` (at least 1). */
export function tooMany(until: number, now: number): ClientAnswer {
  return { status: 429, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
}

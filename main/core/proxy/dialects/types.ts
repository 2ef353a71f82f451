import type { IncomingHttpHeaders } from 'node:http';
import type { Settings } from '../../../../shared/settings';
import type { ProxyError } from '../../errors';
import type { CatalogModel, InferenceKind } from '../../upstream/types';
import type { ChatChunk, ChatCompletion, ChatUsage } from './chat-shapes';

/**
 * The client-dialect seam: one Dialect per client API. Each says which routes it answers, how its
 * requests are validated and turned into an upstream chat-completions (or embeddings) request, how
 * the upstream answer is turned back into its own shape (whole or chunk by chunk), and how its
 * errors look. The pool never learns which dialect a request came in: it sees `operation` only.
 */
export type DialectName = 'chat' | 'embeddings' | 'responses' | 'messages';

/** The two error shapes clients know: OpenAI's and Anthropic's. */
export type ErrorShapeName = 'openai' | 'anthropic';

export interface ErrorShape {
  name: ErrorShapeName;
  /** The JSON body of an error answer. */
  body(error: ProxyError): unknown;
  /** The SSE text that ends a stream which failed after its headers went out. */
  streamEvent(error: ProxyError): string;
}

export interface RequestContext {
  settings: Settings;
  headers: IncomingHttpHeaders;
}

export interface UpstreamRequest {
  /** The JSON body sent upstream (model already the resolved, prefixed id). */
  body: Record<string, unknown>;
  stream: boolean;
}

/** Turns one upstream chat stream into this dialect's events; one instance per request. */
export interface StreamTransform {
  /** Events sent as soon as the upstream answer started (before its first chunk). */
  start(): string;
  /** Events for one upstream chunk, written at once. */
  chunk(chunk: ChatChunk): string;
  /** Closing events once upstream sent `[DONE]` (throws a ProxyError when the answer is unfinished). */
  end(): string;
  /** The event that ends the stream when it fails midway. */
  fail(error: ProxyError): string;
  /** Upstream's usage, once its usage chunk arrived. */
  usage(): ChatUsage | null;
}

/** A dialect whose answers are translated from chat completions (Responses, Messages). */
export interface Translation<Req> {
  /** `modelId`: the catalog id the request was resolved to and sent upstream with. */
  reply(upstream: ChatCompletion, request: Req, modelId: string): unknown;
  stream(request: Req, modelId: string): StreamTransform;
  /**
   * A failure before the answer started, answered as a 200 event stream instead of an HTTP error
   * (null: an HTTP error). Codex retries a streamed rate limit after its delay, not an HTTP 429.
   */
  streamedFailure?(error: ProxyError, request: Req): string | null;
}

export interface Dialect<Req = unknown> {
  name: DialectName;
  /** POST routes it answers (query strings such as `?beta=true` are ignored by the router). */
  paths: readonly string[];
  /** What the pool is asked to do upstream. */
  operation: InferenceKind;
  errors: ErrorShape;
  /** Validates the body; throws a 400 naming the parameter. */
  parse(body: unknown, context: RequestContext): Req;
  /** The model name to resolve in the catalog (after any dialect-specific mapping). */
  model(request: Req, context: RequestContext): string;
  toUpstream(request: Req, model: CatalogModel): UpstreamRequest;
  /**
   * True when toUpstream only sets `model`: a body whose `model` is already the id sent upstream
   * then goes as the client's bytes, unparsed and unserialized again (same JSON, same meaning).
   */
  forwardsAsSent?: boolean;
  /** Absent: upstream already answers in this dialect's shape and is relayed byte for byte. */
  translation?: Translation<Req>;
}

import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the client-key guard once the bearer was checked against the configured client key. */
    verifiedClientKeyId: string | null;
  }
}

/** The identity of a client key: the sha256 of the whole key (never the key, never a part of it). */
export function clientKeyId(key: string): string {
  return `key:${createHash('sha256').update(key).digest('hex')}`;
}

/** Called by the guard when the request's bearer equals the configured client key. */
export function markVerifiedClientKey(request: FastifyRequest, key: string): void {
  request.verifiedClientKeyId = clientKeyId(key);
}

/**
 * Per-client identity for inbound limits and accounting: the hash of the client key when the
 * guard verified it, else the client's address. An unchecked bearer is never an identity (a random
 * bearer per request would otherwise get a fresh bucket each time).
 */
export function clientIdOf(request: FastifyRequest): string {
  return request.verifiedClientKeyId ?? `ip:${request.ip}`;
}

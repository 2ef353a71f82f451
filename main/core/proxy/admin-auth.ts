import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ADMIN_KEY_HEADER } from '../../../shared/admin-routes';
import { ProxyError } from '../errors';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && (LOOPBACK.has(address) || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/** Constant-time comparison of a presented key with the real one. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The credentials of `Authorization: Bearer <token>` (scheme case-insensitive), else undefined. */
export function bearerToken(request: FastifyRequest): string | undefined {
  return request.headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim() || undefined;
}

/** The admin API is loopback only and always requires this data folder's admin key. */
export function checkAdmin(request: FastifyRequest, adminKey: string, allowQueryKey: boolean): void {
  if (!isLoopbackAddress(request.socket.remoteAddress)) {
    throw new ProxyError(403, 'permission_error', 'The admin API answers only on this machine (loopback). Use the CLI or dashboard on the server itself, or an SSH tunnel.', { code: 'admin_loopback_only' });
  }
  const bearer = bearerToken(request);
  const custom = request.headers[ADMIN_KEY_HEADER];
  const query = allowQueryKey ? (request.query as Record<string, unknown> | undefined)?.key : undefined;
  const given = [bearer, typeof custom === 'string' ? custom : undefined, typeof query === 'string' ? query : undefined].find((v) => v);
  if (!given) {
    throw new ProxyError(401, 'authentication_error', 'The admin API needs the admin key: send "Authorization: Bearer <key>". The key is in the file admin.key in the data folder, and in the dashboard URL that `switchyard serve` prints.', { code: 'admin_key_required' });
  }
  if (!safeEqual(given, adminKey)) {
    throw new ProxyError(401, 'authentication_error', 'The admin key is wrong. Read it from admin.key in the data folder (SWITCHYARD_DATA_DIR).', { code: 'admin_key_invalid' });
  }
}

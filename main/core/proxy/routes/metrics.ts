import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProxyError } from '../../errors';
import { bearerToken, isLoopbackAddress, safeEqual } from '../guards';
import type { Metrics } from '../metrics';

/**
 * GET /metrics — Prometheus text (metric names and meanings in proxy/metrics.ts).
 * Access: open to requests from this machine (loopback). From any other address (the server
 * listens beyond loopback, e.g. HOST=0.0.0.0) it requires the admin key as a bearer token —
 * in Prometheus: `authorization: { credentials_file: <data folder>/admin.key }`.
 */
export async function metricsRoutes(app: FastifyInstance, deps: { metrics: Metrics; adminKey: string }): Promise<void> {
  app.get('/metrics', async (request, reply) => {
    if (!isLoopbackAddress(request.socket.remoteAddress)) checkScraperKey(request, deps.adminKey);
    const text = await deps.metrics.render();
    return reply.header('cache-control', 'no-store').type(deps.metrics.contentType).send(text);
  });
}

function checkScraperKey(request: FastifyRequest, adminKey: string): void {
  const given = bearerToken(request) ?? '';
  if (safeEqual(given, adminKey)) return;
  throw new ProxyError(
    401,
    'authentication_error',
    given
      ? 'The key sent for /metrics is wrong: use the admin key from the file admin.key in the data folder.'
      : '/metrics answers other machines only with the admin key: send "Authorization: Bearer <admin key>" (the file admin.key in the data folder; in Prometheus, authorization.credentials_file). From this machine no key is needed.',
    { code: 'metrics_key_required' },
  );
}

import type { FastifyInstance } from 'fastify';
import { ProxyError } from '../errors';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * A known path asked with another method gets 405 with `Allow` (not a 404 that suggests the path is
 * wrong). Call before routes are added; `complete()` after the last one.
 */
export function collectRoutes(app: FastifyInstance): { complete(): void } {
  const methodsByUrl = new Map<string, Set<string>>();
  let completed = false;
  app.addHook('onRoute', (route) => {
    if (completed || route.url.includes('*')) return;
    const methods = methodsByUrl.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    methodsByUrl.set(route.url, methods);
  });
  return {
    complete() {
      completed = true;
      for (const [url, methods] of methodsByUrl) {
        const missing = METHODS.filter((m) => !methods.has(m));
        if (missing.length === 0) continue;
        const allow = [...methods].filter((m) => m !== 'OPTIONS').join(', ');
        app.route({
          method: missing,
          url,
          handler: async (request, reply) => {
            reply.header('allow', allow);
            throw new ProxyError(405, 'invalid_request_error', `${request.method} is not allowed on ${url}; it answers ${allow}.`, { code: 'method_not_allowed' });
          },
        });
      }
    },
  };
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { ADMIN_PREFIX } from '../../../shared/admin-routes';
import { ProxyError } from '../errors';
import { createRedactor, type Redactor } from '../mask';
import type { ProxyDeps } from './deps';
import { installErrorHandlers, sendProxyError, toProxyError } from './error-handler';
import { answerClientError, createHttpServer } from './http-server';
import { clientIdOf, installBodyParsers, installGuards } from './guards';
import { collectRoutes } from './method-not-allowed';
import { registerDashboardFiles } from './dashboard-files';
import { lazySchemaCompilers } from './schema-compilers';
import { createMetrics } from './metrics';
import { adminRoutes } from './routes/admin';
import { metricsRoutes } from './routes/metrics';
import { openaiRoutes } from './inference';
import { statusRoutes } from './routes/status';

export const BODY_LIMIT_BYTES = 10 * 1024 * 1024;

/** Builds the Fastify app (no listen): plugins first, then route groups, one error handler. */
export async function buildApp(deps: ProxyDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    return503OnClosing: true,
    routerOptions: { maxParamLength: 256 },
    // Loaded only if a route ever declares a JSON schema (none does: bodies are checked with zod).
    schemaController: { compilersFactory: lazySchemaCompilers },
    serverFactory: createHttpServer,
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, _request, reply) => sendProxyError(reply, toProxyError(error)),
  });
  installErrorHandlers(app);
  installBodyParsers(app, BODY_LIMIT_BYTES);
  const routes = collectRoutes(app);
  scrubOutgoing(app, deps.redactor ?? createRedactor());
  await installGuards(app, deps.settings, { insecureNoClientKey: deps.insecureNoClientKey });
  const metrics = deps.metrics ?? createMetrics({ snapshot: deps.snapshot });
  const routeDeps: ProxyDeps = {
    ...deps,
    onProxied: (info) => {
      metrics.proxied(info);
      deps.onProxied?.(info);
    },
  };

  await app.register(async (v1) => {
    // Stopped means stopped for the whole OpenAI surface (models too), said in the words of where it runs.
    v1.addHook('onRequest', async () => {
      if (!deps.proxyRunning()) throw proxyStopped();
    });
    // The inbound limit runs only while it is on: a request then pays for the plugin's key, store
    // and headers; while it is off (the default) nothing (the plugin's own allowList would still
    // build its state for every request). It is read per request, so turning it on takes effect at once.
    await v1.register(rateLimit, {
      global: false,
      max: () => deps.settings().inboundRateLimit.perMinute,
      timeWindow: 60_000,
      keyGenerator: clientIdOf,
      errorResponseBuilder: (_request, context) =>
        new ProxyError(429, 'rate_limit_error', `This client sent more than ${context.max} requests in a minute (RATE_LIMIT_PER_MINUTE). Retry in ${Math.ceil(context.ttl / 1000)} s.`, {
          code: 'inbound_rate_limit',
          retryAfterSeconds: Math.ceil(context.ttl / 1000),
        }),
    });
    const inboundLimit = v1.rateLimit();
    v1.addHook('onRequest', function (request, reply, done) {
      if (!deps.settings().inboundRateLimit.enabled) return done();
      inboundLimit.call(this, request, reply).then(() => done(), done);
    });
    await openaiRoutes(v1, routeDeps);
  });
  await app.register(async (status) => statusRoutes(status, deps));
  await app.register(async (scrape) => metricsRoutes(scrape, { metrics, adminKey: deps.adminKey }));
  if (deps.admin) {
    const engine = deps.admin;
    await app.register(async (admin) => adminRoutes(admin, { engine, adminKey: deps.adminKey, redactor: deps.redactor }));
  }
  await registerDashboard(app, deps.dashboardDir);
  routes.complete();
  return app;
}

function proxyStopped(): ProxyError {
  const desktop = 'electron' in process.versions;
  const how = desktop
    ? 'Start it from the tray menu (Start proxy) or in the dashboard.'
    : `Start it in the dashboard (Start proxy) or with the admin API (POST ${ADMIN_PREFIX}/proxy/start); restarting \`switchyard serve\` starts it too.`;
  return new ProxyError(503, 'service_unavailable', `The Switchyard proxy is stopped. ${how}`, { code: 'proxy_stopped' });
}

const INFERENCE_ROUTES = new Set(['/v1/chat/completions', '/v1/embeddings']);

/**
 * Text leaving through an answer never carries a key: every error answer (message and code, whoever
 * built it, e.g. an upstream error echoing the Authorization header) and the status pages are
 * redacted. Model answers are relayed as they are; successful admin answers carry the settings the
 * person edits (their own client key included) and are redacted where they are composed.
 */
function scrubOutgoing(app: FastifyInstance, redactor: Redactor): void {
  // Callback style: no promise per answer. A success that is not text (a relayed answer's bytes) passes first, before any lookup.
  app.addHook('onSend', (request, reply, payload, done) => {
    const isError = reply.statusCode >= 400;
    if (!isError && typeof payload !== 'string') return done(null, payload);
    if (!isError) {
      const route = request.routeOptions.url ?? '';
      if (INFERENCE_ROUTES.has(route) || route.startsWith(`${ADMIN_PREFIX}/`)) return done(null, payload);
    }
    const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    if (text === null) return done(null, payload);
    const clean = redactor.redact(text);
    if (clean === text) return done(null, payload);
    if (reply.hasHeader('content-length')) reply.header('content-length', Buffer.byteLength(clean));
    done(null, clean);
  });
}

async function registerDashboard(app: FastifyInstance, dir: string | null): Promise<void> {
  if (dir && existsSync(join(dir, 'index.html'))) {
    registerDashboardFiles(app, dir);
    return;
  }
  app.get('/', async (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .send('Switchyard is running. The dashboard is not built in this checkout: run `npm run build`, then restart.\nOpenAI-compatible API: /v1  ·  health: /health  ·  stats: /v1/tokens/stats\n'),
  );
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createContext, type SimContext } from './context';
import { createControl, type SimulatorControl } from './control';
import { Exchange } from './exchange';
import { handleCatalog, handleUnknown, handleUser } from './github-api';
import { handleInference } from './inference';
import type { SimulatorOptions } from './options';
import { sendServerError } from './replies';
import { handleProvider } from './providers/handle';
import { dialectFor } from './providers/registry';
import { routeOf, type Endpoint } from './routes';
import type { SimulatorStats } from './stats';

/**
 * A running simulator of every provider's API (node:http on 127.0.0.1 by default): GitHub at the
 * root, each other provider below its prefix (see providers/registry.ts, `providerBaseUrl`).
 */
export interface Simulator {
  /** e.g. http://127.0.0.1:54321 — serves both GITHUB_MODELS_BASE_URL and GITHUB_API_BASE_URL. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops every open connection (hung requests included). Idempotent. */
  close(): Promise<void>;
  readonly control: SimulatorControl;
  stats(): SimulatorStats;
}

const PROVIDER_ENDPOINTS: Record<string, Endpoint> = { chat: 'chat', embeddings: 'embeddings', models: 'catalog', extra: 'user' };

function dispatch(ctx: SimContext, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const provider = dialectFor(path);
  const providerRoute = provider?.dialect.route(req.method ?? 'GET', provider.rest);
  const endpoint = provider ? (providerRoute ? (PROVIDER_ENDPOINTS[providerRoute.op] ?? 'unknown') : 'unknown') : routeOf(req.method, req.url);
  const x = new Exchange(endpoint, req, res, (done) => ctx.stats.finish(done));
  ctx.stats.begin(x);
  let work: void | Promise<void>;
  if (provider) work = handleProvider(ctx, provider.dialect, x, provider.rest);
  else if (endpoint === 'chat' || endpoint === 'embeddings') work = handleInference(ctx, x);
  else if (endpoint === 'user') work = handleUser(ctx, x);
  else if (endpoint === 'catalog') work = handleCatalog(ctx, x);
  else work = handleUnknown(x);
  Promise.resolve(work).catch(() => {
    if (!x.gone && !x.res.headersSent) sendServerError(x, 500, false);
    else x.res.destroy();
  });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const ctx = createContext(options);
  if (options.state) {
    ctx.quota.restore(options.state.github);
    ctx.providers.restore(options.state.providers);
  }
  const server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => dispatch(ctx, req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    control: createControl(ctx),
    stats: () => ctx.stats.snapshot(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

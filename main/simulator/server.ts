import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createContext, type SimContext } from './context';
import { createControl, type SimulatorControl } from './control';
import { Exchange } from './exchange';
import { handleCatalog, handleUnknown, handleUser } from './github-api';
import { handleInference } from './inference';
import type { SimulatorOptions } from './options';
import { sendServerError } from './replies';
import { routeOf } from './routes';
import type { SimulatorStats } from './stats';

/** A running GitHub Models simulator (node:http on 127.0.0.1 by default). */
export interface Simulator {
  /** e.g. http://127.0.0.1:54321 — serves both GITHUB_MODELS_BASE_URL and GITHUB_API_BASE_URL. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops every open connection (hung requests included). Idempotent. */
  close(): Promise<void>;
  readonly control: SimulatorControl;
  stats(): SimulatorStats;
}

function dispatch(ctx: SimContext, req: IncomingMessage, res: ServerResponse): void {
  const endpoint = routeOf(req.method, req.url);
  const x = new Exchange(endpoint, req, res, (done) => ctx.stats.finish(done));
  ctx.stats.begin(x);
  let work: void | Promise<void>;
  if (endpoint === 'chat' || endpoint === 'embeddings') work = handleInference(ctx, x);
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

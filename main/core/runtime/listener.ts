import type { FastifyInstance } from 'fastify';
import type { ProxyView } from '../../../shared/snapshot';

export interface ListenTarget {
  host: string;
  port: number;
}

/**
 * The HTTP listener: builds a Fastify app and listens; moving to another address builds a fresh
 * app (a Fastify instance cannot be reopened); close drains with a bound. A taken port is a
 * state shown to the user, not a crash.
 */
export class Listener {
  private state: Pick<ProxyView, 'status' | 'error'> = { status: 'stopped', error: null };
  private bound: ListenTarget | null = null;
  private app: FastifyInstance | null = null;

  constructor(
    private readonly build: () => Promise<FastifyInstance>,
    private readonly onChange: () => void,
  ) {}

  get address(): ListenTarget | null {
    return this.bound;
  }

  get status(): Pick<ProxyView, 'status' | 'error'> {
    return this.state;
  }

  async listen(target: ListenTarget): Promise<void> {
    this.set({ status: 'starting', error: null });
    const app = await this.build();
    try {
      await app.listen({ host: target.host, port: target.port });
      this.app = app;
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : target.port;
      this.bound = { host: target.host, port };
      this.set({ status: 'running', error: null });
    } catch (error) {
      this.bound = null;
      await app.close().catch(() => undefined);
      this.set({ status: 'error', error: describeListenError(error, target) });
    }
  }

  /** Moves to another host/port (or retries after an error): drain the old app, listen with a new one. */
  async relisten(target: ListenTarget, drainMs: number): Promise<void> {
    await this.close(drainMs);
    await this.listen(target);
  }

  /** Stops accepting, waits for in-flight requests up to `drainMs`, then cuts the rest. */
  async close(drainMs: number): Promise<void> {
    const app = this.app;
    this.app = null;
    this.bound = null;
    if (!app) return;
    const timer = setTimeout(() => app.server.closeAllConnections?.(), drainMs);
    timer.unref();
    try {
      await app.close();
    } finally {
      clearTimeout(timer);
      this.set({ status: 'stopped', error: null });
    }
  }

  private set(next: Pick<ProxyView, 'status' | 'error'>): void {
    this.state = next;
    this.onChange();
  }
}

export function describeListenError(error: unknown, target: ListenTarget): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return `Port ${target.port} on ${target.host} is already in use (another Switchyard or another program). Choose another port in Settings, or stop the other program.`;
  if (code === 'EACCES') return `Not allowed to listen on ${target.host}:${target.port} (ports below 1024 need privileges). Choose a port above 1024.`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `${target.host} is not an address of this machine. Use 127.0.0.1 (only this machine) or 0.0.0.0 (every interface).`;
  return `Could not listen on ${target.host}:${target.port}: ${(error as Error).message}`;
}

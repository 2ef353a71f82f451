import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LimitType } from '../../shared/domain';
import type { Endpoint } from './routes';

/**
 * One request/response pair and what became of it. `aborted` means the client went away before
 * the response ended (a reset the simulator caused on purpose is a fault, not an abort).
 */
export class Exchange {
  readonly startedAt = performance.now();
  readonly signal: AbortSignal;
  status = 0;
  aborted = false;
  resetByServer = false;
  fault: string | null = null;
  limitType: LimitType | null = null;
  login: string | null = null;
  model: string | null = null;
  stream = false;
  private readonly controller = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly endpoint: Endpoint,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    onEnd: (exchange: Exchange) => void,
  ) {
    this.signal = this.controller.signal;
    req.on('error', () => {});
    res.on('error', () => {});
    res.once('close', () => {
      if (!res.writableFinished && !this.resetByServer) this.aborted = true;
      this.controller.abort();
      for (const timer of this.timers) clearTimeout(timer);
      this.timers.clear();
      onEnd(this);
    });
  }

  /** True once the response ended or the connection closed: nothing more may be written. */
  get gone(): boolean {
    return this.signal.aborted || this.res.writableEnded;
  }

  /** Resolves true after `ms`, or false as soon as the exchange is gone. */
  delay(ms: number): Promise<boolean> {
    if (this.gone) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.signal.removeEventListener('abort', onAbort);
        resolve(!this.gone);
      }, ms);
      this.timers.add(timer);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A whole response with a content-length. */
  send(status: number, headers: Record<string, string>, body: string): void {
    if (this.gone) return;
    this.status = status;
    this.res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
    this.res.end(body);
  }

  /** Starts a response whose body follows in pieces. */
  head(status: number, headers: Record<string, string>): void {
    if (this.gone) return;
    this.status = status;
    this.res.writeHead(status, headers);
  }

  write(piece: string | Uint8Array): void {
    if (!this.gone) this.res.write(piece);
  }

  /** Writes `piece`, and once it has left, closes the connection mid-response (a reset fault). */
  writeThenDrop(piece: string | Uint8Array): void {
    if (this.gone) return;
    this.resetByServer = true;
    this.res.write(piece, () => this.req.socket.destroy());
  }

  end(piece?: string): void {
    if (!this.gone) this.res.end(piece);
  }

  /** Resets the connection on purpose before any response byte (a connection-reset fault). */
  reset(): void {
    this.resetByServer = true;
    const socket = this.req.socket;
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  }

  /** Reads the whole request body; null when the client went away or it is larger than `maxBytes`. */
  async readBody(maxBytes: number): Promise<Buffer | null> {
    const pieces: Buffer[] = [];
    let size = 0;
    try {
      for await (const piece of this.req as AsyncIterable<Buffer>) {
        size += piece.length;
        if (size > maxBytes) return null;
        pieces.push(piece);
      }
    } catch {
      return null;
    }
    return Buffer.concat(pieces);
  }
}

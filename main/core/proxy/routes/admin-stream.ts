import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine-types';
import type { Redactor } from '../../mask';

const HEARTBEAT_MS = 15_000;

/** Server-Sent Events: the snapshot on connect and on every change, and each new event (redacted: no key ever leaves in them). */
export function streamToClient(engine: Engine, request: FastifyRequest, reply: FastifyReply, open: Set<() => void>, redactor: Redactor): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const send = (event: string, data: unknown) => {
    if (!res.destroyed) res.write(`event: ${event}\ndata: ${redactor.redact(JSON.stringify(data))}\n\n`);
  };
  send('snapshot', engine.snapshot());
  const offSnapshot = engine.onSnapshot((snapshot) => send('snapshot', snapshot));
  const offEvent = engine.onEvent((event) => send('event', event));
  const heartbeat = setInterval(() => {
    if (!res.destroyed) res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const cleanup = () => {
    clearInterval(heartbeat);
    offSnapshot();
    offEvent();
    open.delete(end);
  };
  const end = () => {
    cleanup();
    res.end();
  };
  open.add(end);
  request.raw.socket.once('close', cleanup);
  res.once('close', cleanup);
}

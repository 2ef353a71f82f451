import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Snapshot } from '../../../../shared/snapshot';
import type { SnapshotFeed } from '../../runtime/snapshot-feed';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events (redacted by the feed: no key ever leaves in them): `snapshot` (the whole
 * snapshot) on connect, then at most four pushes a second, each `events` (an array of the new
 * events) and `delta` (shared/snapshot-delta.ts: what changed since the snapshot this client
 * holds), or a whole `snapshot` again when this client does not hold the delta's base.
 */
export function streamToClient(feed: SnapshotFeed, request: FastifyRequest, reply: FastifyReply, open: Set<() => void>): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const send = (event: string, text: string) => {
    if (!res.destroyed) res.write(`event: ${event}\ndata: ${text}\n\n`);
  };
  let holds: Snapshot | null = null;
  const offFeed = feed.subscribe((push) => {
    if (push.events.length > 0) send('events', push.eventsText());
    if (!push.snapshot) return;
    const delta = holds !== null && push.previous === holds ? push.deltaText() : null;
    if (delta !== null) send('delta', delta);
    else send('snapshot', push.fullText());
    holds = push.snapshot;
  });
  const start = feed.current();
  holds = start.snapshot;
  send('snapshot', start.text);
  const heartbeat = setInterval(() => {
    if (!res.destroyed) res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  const cleanup = () => {
    clearInterval(heartbeat);
    offFeed();
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

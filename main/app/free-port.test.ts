import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { findFreePort } from './free-port';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host: '127.0.0.1', port }, () => resolve(s));
  });

describe('findFreePort', () => {
  it('returns a port that is not taken and can be listened on', async () => {
    const busy = await listen(0);
    const taken = (busy.address() as { port: number }).port;
    const port = await findFreePort('127.0.0.1');
    expect(port).not.toBe(taken);
    expect(port).toBeGreaterThan(0);
    const server = await listen(port);
    await new Promise((r) => server.close(r));
    await new Promise((r) => busy.close(r));
  });
});

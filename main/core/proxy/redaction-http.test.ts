import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROUTES } from '../../../shared/admin-routes';
import { createEngine } from '../engine';
import type { Engine } from '../engine-types';
import { createLogger } from '../log';
import { createRedactor } from '../mask';
import { startSimulator, type Simulator } from '../../simulator';

/** Keys that look like no provider's: only literal masking can catch them. */
const OPAQUE = 'Zq9opaqueKEYwithNOknownShape0123456789';
const HEX40 = '0123456789abcdef0123456789abcdef01234567';

type Mode = 'code-echo' | 'header-code-echo' | 'body-5xx' | 'unauthorized';

/**
 * An upstream that echoes the Authorization header into its errors (as some gateways do): GETs
 * (catalog, /user) go to the simulator; chat answers per `mode`.
 */
function echoingUpstream(sim: Simulator, mode: () => Mode): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const auth = req.headers.authorization ?? '';
    const bearer = auth.replace(/^Bearer\s+/i, '');
    if (req.method === 'GET') {
      const answer = await fetch(`${sim.url}${req.url}`, { headers: { authorization: auth } });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(await answer.text());
      return;
    }
    req.resume();
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    switch (mode()) {
      case 'code-echo':
        return json(400, { error: { code: auth, message: `Unsupported header Authorization: ${auth}` } });
      case 'header-code-echo':
        return json(400, { error: { message: 'bad request' } }, { 'x-ms-error-code': `InvalidKey-${bearer}` });
      case 'body-5xx':
        res.writeHead(500, { 'content-type': 'text/plain' });
        return res.end(`upstream crashed while handling key ${bearer}`);
      case 'unauthorized':
        return json(401, { error: { code: 'unauthorized', message: `The key ${bearer} is not valid.` } });
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` })));
}

describe('no held key leaves the process, whatever it looks like (issue 15 item 2)', () => {
  let sim: Simulator;
  let upstream: { server: Server; url: string };
  let engine: Engine;
  let dataDir: string;
  let origin: string;
  let mode: Mode = 'code-echo';
  const logs: string[] = [];
  const seen: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ users: [{ token: OPAQUE, login: 'opaque' }, { token: HEX40, login: 'hexpat' }] });
    upstream = await echoingUpstream(sim, () => mode);
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-redaction-'));
    const redactor = createRedactor();
    const logger = createLogger({ startId: 'test', level: 'debug', redactor, destination: { write: (line: string) => void logs.push(line) } });
    engine = await createEngine({ dataDir, env: { GITHUB_TOKEN: OPAQUE, GITHUB_TOKEN2: HEX40, GITHUB_MODELS_BASE_URL: upstream.url, GITHUB_API_BASE_URL: upstream.url }, overrides: { host: '127.0.0.1', port: 0 }, logger, redactor });
    await engine.start();
    origin = `http://127.0.0.1:${engine.snapshot().proxy.port}`;
  });
  afterAll(async () => {
    await engine?.shutdown();
    await new Promise((resolve) => upstream?.server.close(resolve));
    await sim?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const chat = async () => {
    const answer = await fetch(`${origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }) });
    const text = await answer.text();
    seen.push(JSON.stringify([...answer.headers]) + text);
    return { status: answer.status, text };
  };
  const expectNoKey = (text: string, where: string) => {
    for (const key of [OPAQUE, HEX40]) {
      expect(text, where).not.toContain(key);
      expect(text, where).not.toContain(key.slice(6, 26));
    }
  };

  for (const m of ['code-echo', 'header-code-echo', 'body-5xx'] as const) {
    it(`masks a key an upstream error echoes (${m}) in the client's answer, message and code`, async () => {
      mode = m;
      const { status, text } = await chat();
      expect(status).toBeGreaterThanOrEqual(400);
      expectNoKey(text, `${m}: ${text}`);
    });
  }

  it('masks it in statusReason everywhere it is served: /v1/tokens/stats, the admin snapshot and events, SSE, state.json and the log', async () => {
    mode = 'unauthorized';
    await chat();
    await chat();
    const stats = await (await fetch(`${origin}/v1/tokens/stats`)).text();
    expect(stats).toContain('statusReason');
    const admin = { authorization: `Bearer ${engine.adminKey}` };
    const snapshot = await (await fetch(`${origin}${ADMIN_ROUTES.snapshot.path}`, { headers: admin })).text();
    const events = await (await fetch(`${origin}${ADMIN_ROUTES.events.path}`, { headers: admin })).text();
    const sse = await fetch(`${origin}${ADMIN_ROUTES.stream.path}`, { headers: admin });
    const reader = sse.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(first).toContain('event: snapshot');
    seen.push(stats, snapshot, events, first, JSON.stringify(engine.snapshot()), JSON.stringify(await engine.getEvents()));
    await engine.shutdown();
    for (const file of await readdir(dataDir)) {
      if (file === 'secrets.json') continue; // the headless secret store itself (0600)
      seen.push(await readFile(join(dataDir, file), 'utf8').catch(() => ''));
    }
    expect(logs.length).toBeGreaterThan(0);
    expectNoKey(seen.join('\n'), 'answers, snapshot, events, SSE, state files');
    expectNoKey(logs.join('\n'), 'log lines');
    expect(seen.join('\n')).toMatch(/Zq9o…89|0123…67/);
  });
});

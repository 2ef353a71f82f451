import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from './engine';
import type { Engine } from './engine-types';
import { startServer, type TestServer } from './upstream/test-servers';

const MESSAGE = 'GitHub retired GitHub Models on 2026-07-30 — add an account of another provider';
const TOKEN = 'ghp_aliceTOKEN0000000000000000000000001Xq';
const GONE = JSON.stringify({ error: { code: 'github_models_retirement_brownout', message: 'GitHub Models is temporarily unavailable as part of a scheduled retirement brownout.' } });

/** GitHub after 2026-07-30: GET /user answers, the inference API and the catalog answer 410. */
function retiredGitHub(): Promise<TestServer> {
  return startServer((req, res) => {
    if (req.url === '/user') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ login: 'alice', id: 1, avatar_url: null }));
      return;
    }
    res.writeHead(410, { 'content-type': 'application/json' }).end(GONE);
  });
}

const sentToModels = (server: TestServer) => server.requests.filter((r) => r.url !== '/user');

describe('engine: GitHub Models retired', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function start(server: TestServer, dataDir: string): Promise<{ engine: Engine; origin: string; client: OpenAI }> {
    const engine = await createEngine({
      dataDir,
      env: { GITHUB_TOKEN: TOKEN, GITHUB_TOKEN2: `${TOKEN.slice(0, -2)}Zz`, GITHUB_MODELS_BASE_URL: server.url, GITHUB_API_BASE_URL: server.url },
      overrides: { host: '127.0.0.1', port: 0 },
    });
    await engine.start();
    const origin = `http://127.0.0.1:${engine.snapshot().proxy.port}`;
    return { engine, origin, client: new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'unused', maxRetries: 0 }) };
  }

  it('a 503 provider_retired for chat and embeddings, /health ok with a warning, stats say retired; remembered after a restart with nothing sent', async () => {
    const server = await retiredGitHub();
    cleanup.push(() => server.close());
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-retired-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));

    const first = await start(server, dataDir);
    const chat = await first.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(chat).toBeInstanceOf(OpenAI.APIError);
    expect(chat).toMatchObject({ status: 503, code: 'provider_retired', error: { message: MESSAGE, code: 'provider_retired' } });
    const embed = await first.client.embeddings.create({ model: 'text-embedding-3-small', input: 'hi' }).catch((e: unknown) => e);
    expect(embed).toMatchObject({ status: 503, code: 'provider_retired' });
    // At most the catalog and one inference request learned it; the rest never left.
    expect(sentToModels(server).length).toBeLessThanOrEqual(2);

    const health = (await (await fetch(`${first.origin}/health`)).json()) as { status: string; warnings: unknown };
    expect(health.status).toBe('ok');
    expect(health.warnings).toEqual([{ code: 'provider_retired', message: MESSAGE }]);
    const stats = (await (await fetch(`${first.origin}/v1/tokens/stats`)).json()) as { tokens: { status: string; statusReason: string; blocked: boolean }[] };
    expect(stats.tokens.map((t) => [t.status, t.statusReason, t.blocked])).toEqual([
      ['retired', MESSAGE, true],
      ['retired', MESSAGE, true],
    ]);
    expect(first.engine.snapshot().warnings).toEqual([{ code: 'provider_retired', message: MESSAGE }]);
    const events = (await first.engine.getEvents({})).filter((e) => e.kind === 'provider-retired');
    expect(events).toHaveLength(1);
    await first.engine.shutdown();

    const before = server.requests.length;
    const again = await start(server, dataDir);
    cleanup.push(() => again.engine.shutdown());
    const retry = await again.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(retry).toMatchObject({ status: 503, code: 'provider_retired' });
    // GET /user may be asked again (logins); neither the catalog nor the inference API is.
    expect(sentToModels({ ...server, requests: server.requests.slice(before) })).toEqual([]);
    expect(again.engine.snapshot().accounts.map((a) => a.status)).toEqual(['retired', 'retired']);
    expect((await again.engine.getEvents({})).filter((e) => e.kind === 'provider-retired')).toHaveLength(1);
  });
});

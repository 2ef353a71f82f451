import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { demoPool, demoPoolEnv, type DemoPoolAccount } from './demo-pool';
import { startPersistentSimulator } from './persistent';
import { failure, hi, virtualClock } from './providers/test-client';
import { startSimulator, type Simulator } from './server';
import { call, chat } from './test-client';

let sims: Simulator[] = [];
let dirs: string[] = [];
afterEach(async () => {
  for (const s of sims) await s.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  sims = [];
  dirs = [];
});

const client = (sim: Simulator, a: DemoPoolAccount) => new OpenAI({ baseURL: `${sim.url}${a.baseUrl}`, apiKey: a.key, maxRetries: 0 });
const byId = (id: string) => demoPool().accounts.find((a) => a.id === id)!;

describe('the mixed demo pool', () => {
  it('describes two Groq organisations, Gemini, Cerebras, OpenRouter and a retired GitHub account, each with its base URL path', () => {
    const pool = demoPool();
    expect(pool.accounts.map((a) => [a.id, a.provider, a.owner, a.baseUrl])).toEqual([
      ['GROQ_API_KEY', 'groq', 'org_demo_work', '/groq/openai/v1'],
      ['GROQ_API_KEY2', 'groq', 'org_demo_home', '/groq/openai/v1'],
      ['GEMINI_API_KEY', 'gemini', 'demo-project', '/gemini/v1beta/openai'],
      ['CEREBRAS_API_KEY', 'cerebras', 'org_demo_cerebras', '/cerebras/v1'],
      ['OPENROUTER_API_KEY', 'openrouter', 'demo-account', '/openrouter/api/v1'],
      ['GITHUB_TOKEN', 'github', 'alice', ''],
    ]);
    expect(new Set(pool.accounts.map((a) => a.key)).size).toBe(pool.accounts.length);
    expect(demoPool({ port: 1234 }).options.port).toBe(1234);
    const env = demoPoolEnv(pool, 'http://127.0.0.1:9');
    expect(env).toMatchObject({
      GROQ_API_KEY: pool.accounts[0]!.key,
      GROQ_API_KEY2: pool.accounts[1]!.key,
      GITHUB_TOKEN: pool.accounts[5]!.key,
      GROQ_BASE_URL: 'http://127.0.0.1:9/groq/openai/v1',
      GEMINI_BASE_URL: 'http://127.0.0.1:9/gemini/v1beta/openai',
      CLOUDFLARE_BASE_URL: 'http://127.0.0.1:9/cloudflare/client/v4',
      AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:9/azure',
      GITHUB_MODELS_BASE_URL: 'http://127.0.0.1:9',
    });
    expect(pool.routes['llama-3.3-70b']).toEqual(['groq/llama-3.3-70b-versatile', 'cerebras/llama-3.3-70b', 'openrouter/meta-llama/llama-3.3-70b-instruct:free']);
  });

  it('serves 13 requests of the llama route in a minute across four owners, then every one is limited; Groq refills first', async () => {
    const clock = virtualClock();
    const { options } = demoPool({ latencyMs: 0, now: clock.now });
    const sim = await startSimulator(options);
    sims.push(sim);
    const targets: Array<[string, string, number]> = [
      ['GROQ_API_KEY', 'llama-3.3-70b-versatile', 3],
      ['GROQ_API_KEY2', 'llama-3.3-70b-versatile', 3],
      ['CEREBRAS_API_KEY', 'llama-3.3-70b', 3],
      ['OPENROUTER_API_KEY', 'meta-llama/llama-3.3-70b-instruct:free', 4],
    ];
    let served = 0;
    for (const [id, model, perMinute] of targets) {
      const c = client(sim, byId(id));
      for (let i = 0; i < perMinute; i++) {
        await c.chat.completions.create(hi(model, { max_completion_tokens: 64 }));
        served += 1;
        clock.advance(1000);
      }
      await expect(failure(c.chat.completions.create(hi(model, { max_completion_tokens: 64 })))).resolves.toMatchObject({ status: 429 });
    }
    expect(served).toBe(13);
    clock.advance(20_000);
    await expect(client(sim, byId('GROQ_API_KEY')).chat.completions.create(hi('llama-3.3-70b-versatile'))).resolves.toBeTruthy();
  });

  it('Gemini allows 2 a minute; the GitHub account answers 410 on inference while GET /user says who it is', async () => {
    const { options } = demoPool({ latencyMs: 0, now: virtualClock().now });
    const sim = await startSimulator(options);
    sims.push(sim);
    const gemini = client(sim, byId('GEMINI_API_KEY'));
    await gemini.chat.completions.create(hi('gemini-2.5-flash'));
    await gemini.chat.completions.create(hi('gemini-2.5-flash'));
    await expect(failure(gemini.chat.completions.create(hi('gemini-2.5-flash')))).resolves.toMatchObject({ status: 429 });
    const github = byId('GITHUB_TOKEN');
    expect((await chat(sim, github.key, { model: 'openai/gpt-4o-mini' })).status).toBe(410);
    expect(JSON.parse((await call(sim, '/user', { token: github.key })).text).login).toBe('alice');
  });
});

describe('a restarted demo keeps its two sides consistent', () => {
  it('counts saved on close are restored on start; without the file it starts fresh; the file is 0600', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-state-'));
    dirs.push(dir);
    const file = join(dir, 'simulate', 'simulator-state.json');
    const clock = virtualClock();
    const { options } = demoPool({ latencyMs: 0, now: clock.now });
    const groq = byId('GROQ_API_KEY');
    const first = await startPersistentSimulator(options, file, 60_000);
    for (let i = 0; i < 3; i++) await client(first, groq).chat.completions.create(hi('llama-3.3-70b-versatile'));
    first.control.exhaust('alice', 'openai/gpt-4o-mini', 'UserByModelByDay');
    await first.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    clock.advance(5000);
    const second = await startPersistentSimulator(options, file, 60_000);
    sims.push(second);
    const limited = await failure(client(second, groq).chat.completions.create(hi('llama-3.3-70b-versatile')));
    expect(limited.status).toBe(429);
    expect(second.control.quota.usage('alice', 'openai/gpt-4o-mini').day.count).toBeGreaterThan(0);
    await expect(client(second, byId('GROQ_API_KEY2')).chat.completions.create(hi('llama-3.3-70b-versatile'))).resolves.toBeTruthy();

    await rm(file);
    const fresh = await startSimulator(options);
    sims.push(fresh);
    await expect(client(fresh, groq).chat.completions.create(hi('llama-3.3-70b-versatile'))).resolves.toBeTruthy();
  });

  it('an unreadable state file is set aside and the simulator starts fresh', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-state-'));
    dirs.push(dir);
    const file = join(dir, 'simulator-state.json');
    const { writeFile, readdir } = await import('node:fs/promises');
    await writeFile(file, '{"version":1,"github":"nope"}');
    const sim = await startPersistentSimulator(demoPool({ latencyMs: 0 }).options, file, 60_000);
    sims.push(sim);
    await expect(client(sim, byId('GROQ_API_KEY')).chat.completions.create(hi('llama-3.3-70b-versatile'))).resolves.toBeTruthy();
    expect((await readdir(dir)).some((name) => name.startsWith('simulator-state.json.corrupt-'))).toBe(true);
  });
});

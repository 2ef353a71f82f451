import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPool } from '../simulator';
import { spawnCli, type CliProcess } from './test-support/spawn-cli';

/**
 * `switchyard serve --simulate` as a person runs it (its own process, the real CLI): the mixed demo
 * pool behind the proxy, spoken to with the official SDK. Nothing of the person's own is used: a
 * GROQ_API_KEY in their environment is left out.
 */
interface Stats {
  tokens: Array<{ key: string; provider: string; status: string; statusReason: string | null; login: string | null }>;
}

async function until<T>(read: () => Promise<T>, holds: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('switchyard serve --simulate', () => {
  let dataDir: string;
  let run: CliProcess;
  let proxy: string;
  let client: OpenAI;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-simulate-'));
    run = spawnCli(['serve', '--simulate', '--port', '0'], { SWITCHYARD_DATA_DIR: dataDir, GROQ_API_KEY: 'gsk_myOwnRealKey000000000000000000', PORT: '' });
    proxy = await run.line('Proxy:');
    client = new OpenAI({ baseURL: proxy, apiKey: 'unused', maxRetries: 0, timeout: 20_000 });
  });
  afterAll(async () => {
    run.child.kill('SIGTERM');
    await run.exit;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('names every demo account with its provider, the GitHub one retired; the person’s own key is left out', async () => {
    expect(await run.line('Switchyard')).toContain('simulator');
    const accounts = await run.line('Accounts:');
    for (const a of demoPool().accounts) expect(accounts).toContain(`${a.id} (${a.provider}`);
    expect(accounts).toMatch(/GITHUB_TOKEN \(github @alice, retired\)/);
    expect(run.stdout() + run.stderr()).not.toContain('gsk_myOwnRealKey');
    const models = (await client.models.list()).data.map((m) => m.id);
    expect(models).toEqual(expect.arrayContaining(['llama-3.3-70b', 'fast-chat', 'groq/llama-3.3-70b-versatile', 'gemini/gemini-2.5-flash', 'cerebras/llama-3.3-70b']));
  });

  it('rotates the llama route across both Groq organisations, Cerebras and OpenRouter without the client hearing a 429', async () => {
    const served: Array<[string, string]> = [];
    // 3 + 3 + 3 + 4 a minute; Groq refills one every 20 s, so a slow machine may see Groq again first.
    for (let i = 0; i < 30 && !served.some(([provider]) => provider === 'openrouter'); i++) {
      const { data, response } = await client.chat.completions.create({ model: 'llama-3.3-70b', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 64 }).withResponse();
      expect(data.choices[0]?.message.content).toBeTruthy();
      served.push([response.headers.get('x-switchyard-provider') ?? '', response.headers.get('x-switchyard-account') ?? '']);
    }
    const firstSeen = [...new Set(served.map(([, account]) => account))];
    expect(firstSeen).toEqual(['GROQ_API_KEY', 'GROQ_API_KEY2', 'CEREBRAS_API_KEY', 'OPENROUTER_API_KEY']);
    expect(new Set(served.map(([provider]) => provider))).toEqual(new Set(['groq', 'cerebras', 'openrouter']));
  });

  it('serves the fast-chat route from Gemini first, and shows the GitHub account as retired (410 upstream)', async () => {
    const { response } = await client.chat.completions.create({ model: 'fast-chat', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('gemini');
    expect(response.headers.get('x-switchyard-account')).toBe('GEMINI_API_KEY');
    const origin = proxy.replace(/\/v1$/, '');
    const stats = await until(
      async () => (await (await fetch(`${origin}/v1/tokens/stats`)).json()) as Stats,
      (s) => s.tokens.find((t) => t.key === 'GITHUB_TOKEN')?.status === 'retired',
      'the GitHub account to show as retired',
    );
    const github = stats.tokens.find((t) => t.key === 'GITHUB_TOKEN')!;
    expect(github).toMatchObject({ provider: 'github', login: 'alice' });
    expect(github.statusReason).toMatch(/retired/i);
    const health = (await (await fetch(`${origin}/health`)).json()) as { status: string; warnings?: unknown[] };
    expect(health.status).toBe('ok');
    expect(JSON.stringify(health.warnings ?? [])).toMatch(/GitHub Models/);
  });
});

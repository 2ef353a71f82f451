import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB } from '../core/test-support/harness';
import { startSimulator, type Simulator } from '../core/simulator';
import { spawnCli } from './test-support/spawn-cli';
import { fakeIo } from './test-support/fake-io';
import { status } from './status';
import { INSTANCE_FILE } from '../core/state/instance-record';

const serve = (args: string[], env: Record<string, string>) => spawnCli(['serve', ...args], env);

/** Polls an async check until it holds (bounded). */
async function untilAsync(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('switchyard serve', () => {
  let sim: Simulator;
  let dataDir: string;
  beforeAll(async () => {
    sim = await startSimulator({ users: [ALICE, BOB], stream: { chunks: 12, chunkDelayMs: 100 } });
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-serve-'));
  });
  afterAll(async () => {
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints its URLs, and on SIGTERM finishes in-flight streams, saves state and exits 0', async () => {
    const run = serve(['--port', '0'], { SWITCHYARD_DATA_DIR: dataDir, GITHUB_TOKEN: ALICE.token, GITHUB_TOKEN2: BOB.token, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url });
    const proxy = await run.line('Proxy:');
    expect(proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(await run.line('Dashboard:')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#key=[\w-]{20,}$/);

    const response = await fetch(`${proxy}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'x' }], max_tokens: 100 }) });
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    run.child.kill('SIGTERM');
    let rest = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain('data: [DONE]');
    expect(await run.exit).toBe(0);
    await expect(fetch(`${proxy.replace('/v1', '')}/health`)).rejects.toThrow();
    const state = JSON.parse(await readFile(join(dataDir, 'state.json'), 'utf8')) as { events: Array<{ kind: string }> };
    expect(state.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['started', 'stopped']));
    expect(run.stdout() + run.stderr()).not.toContain(ALICE.token);
  });

  it('records where it listens, so `status` finds an instance started with --port; the record goes on stop', async () => {
    const own = join(dataDir, 'recorded');
    const run = serve(['--port', '0'], { SWITCHYARD_DATA_DIR: own, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url, PORT: '' });
    const proxy = await run.line('Proxy:');
    const file = join(own, INSTANCE_FILE);
    await untilAsync(() => stat(file).then(() => true, () => false), 'the instance record');
    const record = JSON.parse(await readFile(file, 'utf8')) as { url: string; pid: number; source: { port: string } };
    expect(`${record.url}/v1`).toBe(proxy);
    expect(record.pid).toBe(run.child.pid);
    expect(record.source.port).toBe('flag');
    const t = fakeIo({ SWITCHYARD_DATA_DIR: own });
    expect(await status([], t.io)).toBe(0);
    expect(t.stdout()).toContain(`proxy running at ${proxy}`);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    await expect(stat(file)).rejects.toThrow();
  });

  it('says in one line when the port is taken, exit 1', async () => {
    const blocker = serve(['--port', '0'], { SWITCHYARD_DATA_DIR: dataDir, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url });
    const port = new URL(await blocker.line('Proxy:')).port;
    const second = serve(['--port', port], { SWITCHYARD_DATA_DIR: join(dataDir, 'second'), GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url });
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    blocker.child.kill('SIGINT');
    expect(await blocker.exit).toBe(0);
  });

  it('refuses a bad flag with its usage, exit 2', async () => {
    const run = serve(['--port', 'eighty'], {});
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toContain('--port eighty is not a port number');
    expect(run.stderr()).toContain('Usage: switchyard serve');
  });
});

import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB } from '../core/test-support/harness';
import { startSimulator, type Simulator } from '../simulator';
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

describe('switchyard serve beyond loopback (issue 15 item 3)', () => {
  let sim: Simulator;
  let dataDir: string;
  beforeAll(async () => {
    sim = await startSimulator({ users: [ALICE] });
    dataDir = await mkdtemp(join(tmpdir(), 'switchyard-serve-exposed-'));
  });
  afterAll(async () => {
    await sim.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const env = () => ({ SWITCHYARD_DATA_DIR: dataDir, GITHUB_TOKEN: ALICE.token, GITHUB_MODELS_BASE_URL: sim.url, GITHUB_API_BASE_URL: sim.url });

  it('refuses --host 0.0.0.0 without a client key, with a clear message and exit 3', async () => {
    const run = serve(['--host', '0.0.0.0', '--port', '0'], env());
    expect(await run.exit).toBe(3);
    expect(run.stderr()).toContain('refusing to listen on 0.0.0.0 without a client key');
    expect(run.stderr()).toContain('--insecure-no-client-key');
    expect(run.stdout()).not.toContain('Proxy:');
  });

  it('serves with --insecure-no-client-key, printing the real addresses, warning in the log and in /health', async () => {
    const run = serve(['--host', '0.0.0.0', '--port', '0', '--json-logs'], { ...env(), SWITCHYARD_INSECURE_NO_CLIENT_KEY: '1' });
    const proxy = await run.line('Proxy:');
    const port = new URL(proxy).port;
    const listening = await run.line(`Listening on 0.0.0.0:${port}:`);
    for (const address of Object.values(networkInterfaces()).flat()) {
      if (address?.family === 'IPv4') expect(listening).toContain(`http://${address.address}:${port}/v1`);
    }
    const health = (await (await fetch(`${proxy.replace('/v1', '')}/health`)).json()) as { warnings: { code: string; message: string }[] };
    expect(health.warnings).toEqual([{ code: 'listening_without_client_key', message: expect.stringContaining('with no client key') }]);
    // Log lines are written asynchronously: wait for the warning rather than read stdout once.
    expect(await run.line('{"level":40')).toContain('no client key');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });

  it('serves --host 0.0.0.0 when SWITCHYARD_API_KEY is set, with no warning', async () => {
    const run = serve(['--host', '0.0.0.0', '--port', '0'], { ...env(), SWITCHYARD_API_KEY: 'sk-switchyard-serve-test-0123456789' });
    const proxy = await run.line('Proxy:');
    const health = (await (await fetch(`${proxy.replace('/v1', '')}/health`)).json()) as { warnings: { code: string; message: string }[] };
    expect(health.warnings).toEqual([]);
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
  });
});

describe('switchyard serve with a data folder it cannot write (issue 15 item 11)', () => {
  it('says so in plain words at start and exits 4, without a stack', async () => {
    const root = await mkdtemp(join(tmpdir(), 'switchyard-serve-ro-'));
    try {
      const blocker = join(root, 'a-file');
      await writeFile(blocker, 'not a folder');
      const run = serve(['--port', '0'], { SWITCHYARD_DATA_DIR: join(blocker, 'data') });
      expect(await run.exit).toBe(4);
      expect(run.stderr()).toContain(`The data folder ${join(blocker, 'data')} cannot be written (ENOTDIR`);
      expect(run.stderr()).toContain('SWITCHYARD_DATA_DIR');
      expect(run.stderr()).not.toMatch(/\n\s+at /);
      expect(run.stdout()).not.toContain('Proxy:');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../core/test-support/harness';
import { until } from './test-support/fake-io';
import { closedPort, spawnCli as cli } from './test-support/spawn-cli';

describe('the switchyard command as a process', () => {
  let h: Harness;
  let env: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness();
    env = { SWITCHYARD_DATA_DIR: h.dataDir, PORT: new URL(h.origin).port };
  });
  afterAll(() => h.close());

  it('prints one clear line and exits 2 when nothing runs at the address', async () => {
    const port = await closedPort();
    const run = cli(['status'], { ...env, PORT: String(port) });
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toBe(`switchyard: nothing is running at http://127.0.0.1:${port} (connection refused). Start it with \`npm run serve\` or the desktop app.\n`);
    expect(run.stdout()).toBe('');
  });

  it('prints the status table and exits 0', async () => {
    const run = cli(['status'], env);
    expect(await run.exit).toBe(0);
    expect(run.stdout()).toContain(`proxy running at ${h.origin}/v1`);
    expect(run.stdout()).toMatch(/^GITHUB_TOKEN2\s+@bob\s/m);
    expect(run.stderr()).toBe('');
  });

  it('watch renders, then exits 0 on SIGINT', async () => {
    const run = cli(['watch'], env);
    await until(() => run.stdout().includes('BLOCKED MODELS'), 'the first frame', 20_000);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toBe('');
  });

  it('watch renders, then exits 0 on q from stdin', async () => {
    const run = cli(['watch'], env);
    await until(() => run.stdout().includes('BLOCKED MODELS'), 'the first frame', 20_000);
    run.child.stdin?.write('q');
    expect(await run.exit).toBe(0);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DRAIN_MS = 10_000; // engine.ts: how long shutdown waits for in-flight requests

describe('deploy/ examples', () => {
  it('the PM2 ecosystem runs `serve` from the bin, waits out the drain, and passes tokens through from the environment', () => {
    const require = createRequire(import.meta.url);
    const path = join(ROOT, 'deploy', 'ecosystem.config.cjs');
    process.env.GITHUB_TOKEN7 = 'ghp_fromTheShell000000000000000000000007';
    delete require.cache[path];
    const { apps } = require(path) as { apps: Array<Record<string, unknown> & { env: Record<string, string> }> };
    delete process.env.GITHUB_TOKEN7;
    expect(apps).toHaveLength(1);
    const app = apps[0]!;
    expect(existsSync(join(app.cwd as string, app.script as string))).toBe(true);
    expect(String(app.args).split(' ')[0]).toBe('serve');
    expect(app.kill_timeout as number).toBeGreaterThan(DRAIN_MS);
    expect(app.instances).toBe(1);
    expect(app.env.SWITCHYARD_NO_BUILD).toBe('1');
    expect(app.env.GITHUB_TOKEN7).toBe('ghp_fromTheShell000000000000000000000007');
    expect(readFileSync(path, 'utf8')).not.toMatch(/gh[pousr]_[A-Za-z0-9]{16,}/);
  });

  it('the systemd unit starts `serve`, stops with SIGTERM after the drain, and keeps tokens out of the unit', () => {
    const unit = readFileSync(join(ROOT, 'deploy', 'switchyard.service'), 'utf8');
    const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(unit)?.[1];
    expect(value('ExecStart')).toMatch(/\/bin\/switchyard\.mjs serve\b/);
    expect(value('KillSignal')).toBe('SIGTERM');
    expect(Number(value('TimeoutStopSec')) * 1000).toBeGreaterThan(DRAIN_MS);
    expect(value('EnvironmentFile')).toBe('-/etc/switchyard.env');
    expect(unit).toMatch(/^\[Install\]\nWantedBy=multi-user\.target$/m);
    const settings = unit.split('\n').filter((line) => !line.startsWith('#')).join('\n');
    expect(settings).not.toMatch(/GITHUB_TOKEN\d*=/);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DRAIN_MS = 10_000; // engine.ts: how long shutdown waits for in-flight requests

type App = Record<string, unknown> & { env: Record<string, string> };

function loadTeamEcosystem(env: Record<string, string>): App[] {
  const require = createRequire(import.meta.url);
  const path = join(ROOT, 'deploy', 'ecosystem.team.config.cjs');
  const saved = { ...process.env };
  Object.assign(process.env, env);
  delete require.cache[path];
  try {
    return (require(path) as { apps: App[] }).apps;
  } finally {
    for (const name of Object.keys(env)) if (!(name in saved)) delete process.env[name];
  }
}

describe('deploy/ team-server examples', () => {
  it('PM2 runs two replicas on their own ports and data folders, passing the Redis URL, client key and tokens through', () => {
    const apps = loadTeamEcosystem({ SWITCHYARD_REDIS_URL: 'redis://10.0.0.5:6379/0', SWITCHYARD_API_KEY: 'team-key', GITHUB_TOKEN3: 'ghp_fromTheShell000000000000000000000003' });
    expect(apps).toHaveLength(2);
    expect(new Set(apps.map((a) => a.env.PORT)).size).toBe(2);
    expect(new Set(apps.map((a) => a.env.SWITCHYARD_DATA_DIR)).size).toBe(2);
    for (const app of apps) {
      expect(existsSync(join(app.cwd as string, app.script as string))).toBe(true);
      expect(String(app.args).split(' ')[0]).toBe('serve');
      expect(app.kill_timeout as number).toBeGreaterThan(DRAIN_MS);
      expect(app.env).toMatchObject({ SWITCHYARD_REDIS_URL: 'redis://10.0.0.5:6379/0', SWITCHYARD_API_KEY: 'team-key', GITHUB_TOKEN3: 'ghp_fromTheShell000000000000000000000003', HOST: '127.0.0.1' });
    }
    expect(readFileSync(join(ROOT, 'deploy', 'ecosystem.team.config.cjs'), 'utf8')).not.toMatch(/gh[pousr]_[A-Za-z0-9]{16,}/);
  });

  it('the systemd template is one replica per port, with its own state, and keeps secrets in the required env file', () => {
    const unit = readFileSync(join(ROOT, 'deploy', 'switchyard@.service'), 'utf8');
    const values = (key: string) => [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1]);
    expect(values('ExecStart')[0]).toMatch(/\/bin\/switchyard\.mjs serve\b/);
    expect(values('Environment')).toEqual(expect.arrayContaining(['PORT=%i', 'SWITCHYARD_DATA_DIR=/var/lib/switchyard/%i', 'HOST=127.0.0.1']));
    expect(values('StateDirectory')).toEqual(['switchyard/%i']);
    expect(values('EnvironmentFile')).toEqual(['/etc/switchyard.env']);
    expect(Number(values('TimeoutStopSec')[0]) * 1000).toBeGreaterThan(DRAIN_MS);
    const settings = unit.split('\n').filter((line) => !line.startsWith('#')).join('\n');
    expect(settings).not.toMatch(/GITHUB_TOKEN\d*=|SWITCHYARD_API_KEY=|SWITCHYARD_REDIS_URL=/);
  });

  it('the nginx example balances over exactly the replicas the PM2 example starts, without buffering streams', () => {
    const conf = readFileSync(join(ROOT, 'deploy', 'nginx-team.conf'), 'utf8');
    const upstreams = [...conf.matchAll(/^\s*server 127\.0\.0\.1:(\d+)/gm)].map((m) => m[1]).sort();
    expect(upstreams).toEqual(loadTeamEcosystem({}).map((a) => a.env.PORT).sort());
    expect(conf).toMatch(/proxy_buffering off;/);
  });
});

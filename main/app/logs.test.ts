import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as fake from './test-support/electron-fake';
import { createAppLog, latestLogFile, openLogs } from './logs';
import { createRedactor } from '../core/mask';
import { tempDir } from './test-support/temp-conf';

vi.mock('electron', () => import('./test-support/electron-fake'));

const TOKEN = 'gho_16C7e42F292c6912E7710c838347Ae178B4aXq';
/** A held token of no known shape: only the exact-secret pass can mask it. */
const ODD = 'odd-secret-value-xyz';
let dir: string;
let cleanup: () => void;

describe('app log', () => {
  beforeEach(() => {
    fake.resetElectronFake();
    ({ dir, cleanup } = tempDir());
  });
  afterEach(() => cleanup());

  it('writes JSON lines under logs/ with tokens masked, message and fields alike', async () => {
    const logsDir = join(dir, 'logs');
    const log = await createAppLog({ logsDir, startId: 'abcd', secrets: () => [TOKEN, ODD] });
    log.logger.info({ account: 'GITHUB_TOKEN', detail: `token ${TOKEN}` }, `added ${TOKEN}`);
    log.logger.warn({ note: `odd-shaped ${ODD}` }, `held ${ODD}`);
    await log.close();
    const file = latestLogFile(logsDir)!;
    expect(file).toBe(join(logsDir, 'switchyard.1.log'));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(ODD);
    const [first, second] = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(first).toMatchObject({ msg: 'added gho_…Xq', detail: 'token gho_…Xq', account: 'GITHUB_TOKEN', startId: 'abcd' });
    expect(second).toMatchObject({ msg: 'held odd-…yz', note: 'odd-shaped odd-…yz' });
  });

  it('keeps the log folder and every log file, rolled ones too, to the user alone (0700 / 0600)', async () => {
    const logsDir = join(dir, 'logs');
    const log = await createAppLog({ logsDir, startId: 'abcd', size: '1k' });
    for (let i = 0; i < 60; i++) {
      log.logger.info({ i, padding: 'x'.repeat(100) }, 'filling the log past its size limit');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await log.close();
    const files = readdirSync(logsDir).filter((name) => name.endsWith('.log'));
    expect(files.length).toBeGreaterThan(1);
    expect(statSync(logsDir).mode & 0o777).toBe(0o700);
    for (const name of files) expect(statSync(join(logsDir, name)).mode & 0o777).toBe(0o600);
  });

  it('masks what the engine\'s redactor holds (keys from the environment, any shape), beside the secret store\'s', async () => {
    const logsDir = join(dir, 'logs');
    const redactor = createRedactor();
    redactor.track(() => [ODD]);
    const log = await createAppLog({ logsDir, startId: 'abcd', redactor });
    log.logger.info({ note: `env key ${ODD}` }, `env key ${ODD}`);
    await log.close();
    const text = readFileSync(latestLogFile(logsDir)!, 'utf8');
    expect(text).not.toContain(ODD);
    expect(text).toContain('env key');
  });

  it('rolls to a new file past the size limit', async () => {
    const logsDir = join(dir, 'logs');
    const log = await createAppLog({ logsDir, startId: 'abcd', size: '1k' });
    for (let i = 0; i < 60; i++) {
      log.logger.info({ i, padding: 'x'.repeat(100) }, 'line');
      await new Promise((resolve) => setImmediate(resolve));
    }
    await log.close();
    const files = readdirSync(logsDir).filter((f) => f.endsWith('.log'));
    expect(files.length).toBeGreaterThan(1);
    const newest = latestLogFile(logsDir)!;
    const highest = Math.max(...files.map((f) => Number(f.split('.')[1])));
    expect(newest).toBe(join(logsDir, `switchyard.${highest}.log`));
  });

  it('latestLogFile picks the highest number, not the newest name alphabetically', () => {
    mkdirSync(join(dir, 'logs'));
    for (const n of [2, 10, 9]) writeFileSync(join(dir, 'logs', `switchyard.${n}.log`), '');
    writeFileSync(join(dir, 'logs', 'other.99.log'), '');
    expect(latestLogFile(join(dir, 'logs'))).toBe(join(dir, 'logs', 'switchyard.10.log'));
    expect(latestLogFile(join(dir, 'missing'))).toBeNull();
  });

  it('View Logs opens the newest file, or the folder when there is none', async () => {
    const logsDir = join(dir, 'logs');
    mkdirSync(logsDir);
    expect(await openLogs(logsDir)).toBe(logsDir);
    writeFileSync(join(logsDir, 'switchyard.3.log'), '');
    expect(await openLogs(logsDir)).toBe(join(logsDir, 'switchyard.3.log'));
    expect(fake.shell.opened).toEqual([logsDir, join(logsDir, 'switchyard.3.log')]);
  });
});

import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../shared/snapshot';
import { makeSnapshot } from '../../../shared/test-support/snapshot-fixtures';
import { addressSources, INSTANCE_FILE, keepInstanceRecord, readInstanceRecord, removeInstanceRecord, writeInstanceRecord, type InstanceRecord } from './instance-record';

const record = (over: Partial<InstanceRecord> = {}): InstanceRecord => ({
  pid: process.pid,
  url: 'http://127.0.0.1:31010',
  host: '127.0.0.1',
  port: 31010,
  startId: 's1',
  startedAt: 1,
  simulate: false,
  source: { host: 'settings', port: 'flag' },
  ...over,
});

describe('the instance record', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchyard-instance-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is written 0600 and read back while its process lives', async () => {
    await writeInstanceRecord(dir, record());
    expect((await stat(join(dir, INSTANCE_FILE))).mode & 0o777).toBe(0o600);
    expect(await readInstanceRecord(dir)).toEqual(record());
  });

  it('is ignored once its process is gone, and when missing or unreadable', async () => {
    await writeInstanceRecord(dir, record());
    expect(await readInstanceRecord(dir, () => false)).toBeNull();
    await writeFile(join(dir, INSTANCE_FILE), '{not json');
    expect(await readInstanceRecord(dir)).toBeNull();
    await rm(join(dir, INSTANCE_FILE));
    expect(await readInstanceRecord(dir)).toBeNull();
  });

  it('is removed only by the process that wrote it', async () => {
    await writeInstanceRecord(dir, record({ pid: process.pid + 1 }));
    await removeInstanceRecord(dir, process.pid);
    expect(JSON.parse(await readFile(join(dir, INSTANCE_FILE), 'utf8')).pid).toBe(process.pid + 1);
    await removeInstanceRecord(dir, process.pid + 1);
    await expect(stat(join(dir, INSTANCE_FILE))).rejects.toThrow();
  });

  it('says why the address has its value: flag, then environment, then settings', () => {
    expect(addressSources({ port: 31010 }, { PORT: '5000', HOST: '0.0.0.0' })).toEqual({ host: 'env', port: 'flag' });
    expect(addressSources({}, { PORT: ' ' })).toEqual({ host: 'settings', port: 'settings' });
    expect(addressSources({ host: '127.0.0.1' }, { PORT: '5000' })).toEqual({ host: 'flag', port: 'env' });
  });

  it('follows the proxy when it moves to an address saved in Settings, and goes on stop', async () => {
    let current = makeSnapshot({ startId: 'run', startedAt: 5 }, { port: 31010 });
    const listeners = new Set<(s: Snapshot) => void>();
    const instance = { snapshot: () => current, onSnapshot: (l: (s: Snapshot) => void) => (listeners.add(l), () => listeners.delete(l)) };
    const kept = await keepInstanceRecord(dir, instance, { simulate: false, source: { host: 'settings', port: 'flag' } }, (e) => {
      throw e;
    });
    expect(await readInstanceRecord(dir)).toMatchObject({ url: 'http://127.0.0.1:31010', port: 31010, startId: 'run', source: { host: 'settings', port: 'flag' } });
    current = makeSnapshot({ startId: 'run' }, { port: 4100 });
    for (const l of listeners) l(current);
    await expect.poll(async () => (await readInstanceRecord(dir))?.port).toBe(4100);
    expect(await readInstanceRecord(dir)).toMatchObject({ url: 'http://127.0.0.1:4100', source: { host: 'settings', port: 'settings' } });
    await kept.stop();
    expect(listeners.size).toBe(0);
    expect(await readInstanceRecord(dir)).toBeNull();
  });
});

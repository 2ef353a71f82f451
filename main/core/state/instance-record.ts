import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Snapshot } from '../../../shared/snapshot';
import { baseOrigin } from '../runtime/snapshot';
import { writeFileAtomic } from './atomic-file';

/**
 * Where the running instance listens, recorded in the data folder (`instance.json`, 0600) by
 * `switchyard serve` once it listens and removed when it stops, so `switchyard status` finds an
 * instance started with `--port 31010` instead of looking at the saved port. A record whose
 * process is gone (a crash, `kill -9`) is ignored.
 */

export const INSTANCE_FILE = 'instance.json';

/** Why the address has its value: a command-line flag, an environment variable, or the saved settings (their default when never saved). */
export const ADDRESS_SOURCES = ['flag', 'env', 'settings'] as const;
export type AddressSource = (typeof ADDRESS_SOURCES)[number];

const recordSchema = z.object({
  pid: z.number().int().positive(),
  /** The origin a client on this machine uses, e.g. http://127.0.0.1:31010 */
  url: z.string().url(),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  startId: z.string(),
  startedAt: z.number(),
  simulate: z.boolean(),
  source: z.object({ host: z.enum(ADDRESS_SOURCES), port: z.enum(ADDRESS_SOURCES) }),
});
export type InstanceRecord = z.infer<typeof recordSchema>;

/** Which layer set the listening address: the flag wins over the environment, which wins over the settings. */
export function addressSources(flags: { host?: string; port?: number }, env: Record<string, string | undefined>): InstanceRecord['source'] {
  const pick = (flag: unknown, variable: string | undefined): AddressSource => (flag !== undefined ? 'flag' : variable?.trim() ? 'env' : 'settings');
  return { host: pick(flags.host, env.HOST), port: pick(flags.port, env.PORT) };
}

export async function writeInstanceRecord(dataDir: string, record: InstanceRecord): Promise<void> {
  await writeFileAtomic(join(dataDir, INSTANCE_FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600, createDir: true });
}

/** Removes the record if it is this process's (another instance may have replaced it since). */
export async function removeInstanceRecord(dataDir: string, pid: number = process.pid): Promise<void> {
  const current = await readRecordFile(dataDir);
  if (current?.pid !== pid) return;
  await unlink(join(dataDir, INSTANCE_FILE)).catch(() => undefined);
}

/** The record of a live instance; null when there is none, it is unreadable, or its process is gone. */
export async function readInstanceRecord(dataDir: string, isAlive: (pid: number) => boolean = processAlive): Promise<InstanceRecord | null> {
  const record = await readRecordFile(dataDir);
  return record && isAlive(record.pid) ? record : null;
}

async function readRecordFile(dataDir: string): Promise<InstanceRecord | null> {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(await readFile(join(dataDir, INSTANCE_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Signal 0 checks that the process exists; EPERM means it exists under another user. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface RecordedInstance {
  snapshot(): Snapshot;
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
}

/**
 * Records a listening instance and keeps the record true: when the proxy moves (a new address saved
 * in Settings), the record follows, the moved part now set by the settings. `stop` removes it.
 */
export async function keepInstanceRecord(
  dataDir: string,
  instance: RecordedInstance,
  fixed: { simulate: boolean; source: InstanceRecord['source'] },
  onError: (error: unknown) => void,
): Promise<{ stop(): Promise<void> }> {
  const first = instance.snapshot();
  let record: InstanceRecord = { pid: process.pid, ...addressOf(first), startId: first.startId, startedAt: first.startedAt, ...fixed };
  const write = (next: InstanceRecord) => writeInstanceRecord(dataDir, next).catch(onError);
  await write(record);
  const off = instance.onSnapshot((snapshot) => {
    if (snapshot.proxy.status !== 'running') return;
    const address = addressOf(snapshot);
    if (address.host === record.host && address.port === record.port) return;
    const source = { host: address.host === record.host ? record.source.host : 'settings', port: address.port === record.port ? record.source.port : 'settings' } as const;
    record = { ...record, ...address, source };
    void write(record);
  });
  return {
    async stop() {
      off();
      await removeInstanceRecord(dataDir);
    },
  };
}

function addressOf(snapshot: Snapshot): Pick<InstanceRecord, 'url' | 'host' | 'port'> {
  return { url: baseOrigin(snapshot.proxy.host, snapshot.proxy.port), host: snapshot.proxy.host, port: snapshot.proxy.port };
}

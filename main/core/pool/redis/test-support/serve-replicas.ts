import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { spawnCli, type CliProcess } from '../../../../cli/test-support/spawn-cli';

/**
 * `switchyard serve` replicas as their own processes (from source, through tsx), each with its
 * own data dir, all on one Redis key prefix: what a team server runs behind its reverse proxy.
 */
export interface Replica {
  process: CliProcess;
  /** The proxy's base URL (`http://127.0.0.1:PORT/v1`). */
  url: string;
  /** The server's origin (`/health`, `/metrics`). */
  origin: string;
  /** The official SDK on this replica, without its own retries (every request is one try). */
  client: OpenAI;
}

export interface Replicas {
  list: Replica[];
  /** Starts one more replica on the same Redis and environment. */
  add(): Promise<Replica>;
  /** Kills every replica still running and removes their data dirs. */
  close(): Promise<void>;
}

export async function startReplicas(count: number, env: Record<string, string>): Promise<Replicas> {
  const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-replicas-'));
  const list: Replica[] = [];
  let n = 0;
  const add = async (): Promise<Replica> => {
    const process = spawnCli(['serve', '--port', '0'], { ...env, SWITCHYARD_DATA_DIR: join(dataDir, `r${n++}`) });
    const url = await process.line('Proxy:', 40_000);
    const replica = { process, url, origin: new URL(url).origin, client: new OpenAI({ baseURL: url, apiKey: 'unused', maxRetries: 0 }) };
    list.push(replica);
    return replica;
  };
  try {
    await Promise.all(Array.from({ length: count }, add));
  } catch (err) {
    for (const r of list) r.process.child.kill('SIGKILL');
    throw err;
  }
  return {
    list,
    add,
    close: async () => {
      await Promise.all(
        list.map(async (r) => {
          if (r.process.child.exitCode === null && r.process.child.signalCode === null) {
            r.process.child.kill('SIGKILL');
            await r.process.exit;
          }
        }),
      );
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Asks once; the HTTP status the client heard (200, or the error's). */
export async function askStatus(client: OpenAI, model: string): Promise<number> {
  try {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
    return 200;
  } catch (err) {
    if (err instanceof OpenAI.APIError && typeof err.status === 'number') return err.status;
    throw err;
  }
}

/** Asks once and says which account served (the `x-switchyard-account` header). */
export async function askAccount(client: OpenAI, model: string): Promise<string | null> {
  const { response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }).withResponse();
  return response.headers.get('x-switchyard-account');
}

/** The codes of a replica's `/health` warnings. */
export async function healthWarnings(replica: Replica): Promise<string[]> {
  const health = (await (await fetch(`${replica.origin}/health`)).json()) as { warnings?: { code: string }[] };
  return (health.warnings ?? []).map((w) => w.code);
}

/** Chat requests the simulator saw, by login, oldest first. */
export const chatLogins = (sim: { stats(): { recent: { endpoint: string; login: string | null }[] } }) =>
  sim.stats().recent.filter((r) => r.endpoint === 'chat').map((r) => r.login);

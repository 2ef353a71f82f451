import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RandomFaultOptions, SimulatorOptions, SimulatorStats, StreamOptions } from '../../main/simulator';
import { orphanGuard } from './serve-child';
import type { SimReply, SimRequest } from './sim-protocol';

const MAIN = fileURLToPath(new URL('./sim-main.ts', import.meta.url));

/** The simulator running in its own process; see sim-main.ts. */
export interface SimChild {
  url: string;
  pid: number;
  stats(): Promise<SimulatorStats>;
  /** Chunk stamps written since the last call (and forgets them). */
  takeStamps(): Promise<Map<string, bigint[]>>;
  resetStats(): Promise<void>;
  setStream(stream: StreamOptions): Promise<void>;
  setFaults(faults: RandomFaultOptions): Promise<void>;
  rss(): Promise<number>;
  close(): Promise<void>;
}

export async function startSimChild(options: SimulatorOptions): Promise<SimChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN, JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const waiting = new Map<number, (reply: SimReply) => void>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  orphanGuard(child);
  const ready = new Promise<string>((resolve, reject) => {
    waiting.set(0, (reply) => (reply.type === 'ready' ? resolve(reply.url) : reject(new Error('simulator child: unexpected first message'))));
    child.once('exit', (code) => reject(new Error(`simulator child exited (${code}) before it was ready`)));
  });
  child.on('message', (message: { id: number; reply: SimReply }) => {
    const resolve = waiting.get(message.id);
    waiting.delete(message.id);
    resolve?.(message.reply);
  });
  const ask = (request: SimRequest) =>
    new Promise<SimReply>((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.send({ id, request });
    });
  const expect = async <T extends SimReply['type']>(request: SimRequest, type: T) => {
    const reply = await ask(request);
    if (reply.type !== type) throw new Error(`simulator child answered ${reply.type}, expected ${type}`);
    return reply as Extract<SimReply, { type: T }>;
  };

  const url = await ready;
  return {
    url,
    pid: child.pid ?? 0,
    stats: async () => (await expect({ type: 'stats' }, 'stats')).stats,
    takeStamps: async () => new Map(Object.entries((await expect({ type: 'take-stamps' }, 'stamps')).stamps)),
    resetStats: async () => void (await expect({ type: 'reset-stats' }, 'ok')),
    setStream: async (stream) => void (await expect({ type: 'stream', stream }, 'ok')),
    setFaults: async (faults) => void (await expect({ type: 'faults', faults }, 'ok')),
    rss: async () => (await expect({ type: 'memory' }, 'memory')).rss,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The GitHub Models simulator in a process of its own (spawned by sim-child.ts), so that the
 * bench's client and the upstream do not share an event loop. Options come as JSON in argv[2];
 * the parent talks over IPC (advanced serialization, for bigint stamps).
 *
 * Chunk stamps: every SSE content chunk the simulator writes is stamped with
 * process.hrtime.bigint() (CLOCK_MONOTONIC, the same clock in every process of this machine),
 * keyed by the completion id, so the client can tell how long each chunk took to reach it.
 */
import { ServerResponse } from 'node:http';
import { startSimulator, type SimulatorOptions } from '../../main/simulator';
import type { SimRequest, SimReply } from './sim-protocol';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const stamps = new Map<string, bigint[]>();
const ID = /"id":"(chatcmpl-[^"]+)"/;

const write = ServerResponse.prototype.write;
ServerResponse.prototype.write = function stampedWrite(this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
  if (typeof chunk === 'string' && chunk.startsWith('data: {') && chunk.includes('"chat.completion.chunk"')) {
    const id = ID.exec(chunk)?.[1];
    if (id) {
      const at = process.hrtime.bigint();
      const list = stamps.get(id);
      if (list) list.push(at);
      else stamps.set(id, [at]);
    }
  }
  return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
} as typeof write;

const sim = await startSimulator(options);

function answer(request: SimRequest): SimReply {
  switch (request.type) {
    case 'stats':
      return { type: 'stats', stats: sim.stats() };
    case 'take-stamps': {
      const taken = Object.fromEntries(stamps);
      stamps.clear();
      return { type: 'stamps', stamps: taken };
    }
    case 'reset-stats':
      sim.control.resetStats();
      sim.control.resetQuota();
      return { type: 'ok' };
    case 'stream':
      sim.control.setStream(request.stream);
      return { type: 'ok' };
    case 'faults':
      sim.control.setRandomFaults(request.faults);
      return { type: 'ok' };
    case 'memory':
      return { type: 'memory', rss: process.memoryUsage().rss };
  }
}

process.on('message', (message: { id: number; request: SimRequest }) => {
  process.send?.({ id: message.id, reply: answer(message.request) });
});
process.on('disconnect', () => {
  void sim.close().then(() => process.exit(0));
});
process.send?.({ id: 0, reply: { type: 'ready', url: sim.url } satisfies SimReply });

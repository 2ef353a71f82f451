/**
 * Per-chunk forwarding delay. The simulator child stamps each chunk it writes with
 * process.hrtime.bigint() (sim-main.ts); the client stamps each chunk when its last byte arrives.
 * Both read CLOCK_MONOTONIC, one clock for every process of the machine, so
 * arrival − written is the time a chunk took from the simulator's write() to the client's
 * 'data' event. Direct, that is loopback TCP + the client's own parsing; through the proxy the
 * difference is what the proxy adds per chunk.
 */

const ID = /"id":"(chatcmpl-[^"]+)"/;

/** Collects arrival times of the `chat.completion.chunk` events of one SSE answer. */
export class ChunkClock {
  id: string | null = null;
  readonly arrivals: bigint[] = [];
  private buffer = '';

  readonly onChunk = (chunk: Buffer, at: bigint): void => {
    this.buffer += chunk.toString('utf8');
    let end = this.buffer.indexOf('\n\n');
    while (end >= 0) {
      const event = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      if (event.startsWith('data: {') && event.includes('"chat.completion.chunk"')) {
        this.id ??= ID.exec(event)?.[1] ?? null;
        this.arrivals.push(at);
      }
      end = this.buffer.indexOf('\n\n');
    }
  };
}

/** Delay of every chunk whose write stamp is known, ms. Streams whose chunk counts differ are skipped (counted). */
export function chunkDelays(clocks: readonly ChunkClock[], stamps: Map<string, bigint[]>): { delays: number[]; unmatched: number } {
  const delays: number[] = [];
  let unmatched = 0;
  for (const clock of clocks) {
    const written = clock.id ? stamps.get(clock.id) : undefined;
    if (!written || written.length !== clock.arrivals.length) {
      unmatched++;
      continue;
    }
    clock.arrivals.forEach((at, i) => delays.push(Number(at - (written[i] as bigint)) / 1e6));
  }
  return { delays, unmatched };
}

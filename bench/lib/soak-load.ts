import { Pool } from 'undici';
import { mulberry32 } from '../../main/simulator/prng';
import { soakRequest, type Answer, type Kind } from './soak-client';

export interface LoadOptions {
  origin: string;
  requests: number;
  concurrency: number;
  /** Shares of each kind (the rest is non-streamed chat). */
  streamShare: number;
  embeddingsShare: number;
  deadlineMs: number;
  seed: number;
  /** Called after every `every` answers. */
  onProgress?: (done: number) => void | Promise<void>;
  every?: number;
}

export interface Tally {
  answers: number;
  byOutcome: Record<string, number>;
  /** HTTP status of every answer that had one (streams that failed midway count as 200). */
  byStatus: Record<string, number>;
  byErrorCode: Record<string, number>;
  byKind: Record<Kind, number>;
  /** Every answer that was not a success or a well-formed error (the first 50). */
  problems: string[];
  maxMs: number;
  p99Ms: number;
  seconds: number;
}

/** `concurrency` closed-loop clients send `requests` requests of a seeded mix, each with its own deadline. */
export async function runSoakLoad(options: LoadOptions): Promise<Tally> {
  const pool = new Pool(options.origin, { connections: options.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const rng = mulberry32(options.seed);
  const kinds: Kind[] = Array.from({ length: options.requests }, () => {
    const r = rng();
    return r < options.streamShare ? 'stream' : r < options.streamShare + options.embeddingsShare ? 'embeddings' : 'chat';
  });
  const tally: Tally = { answers: 0, byOutcome: {}, byStatus: {}, byErrorCode: {}, byKind: { chat: 0, stream: 0, embeddings: 0 }, problems: [], maxMs: 0, p99Ms: 0, seconds: 0 };
  const durations: number[] = [];
  const every = options.every ?? 500;
  const started = process.hrtime.bigint();
  let next = 0;
  const record = async (answer: Answer) => {
    const v = answer.verdict;
    tally.answers++;
    tally.byKind[answer.kind]++;
    tally.byOutcome[v.outcome] = (tally.byOutcome[v.outcome] ?? 0) + 1;
    if (v.status) tally.byStatus[v.status] = (tally.byStatus[v.status] ?? 0) + 1;
    if ((v.outcome === 'error' || v.outcome === 'stream-error') && v.code) tally.byErrorCode[v.code] = (tally.byErrorCode[v.code] ?? 0) + 1;
    if ((v.outcome === 'malformed' || v.outcome === 'no-answer') && tally.problems.length < 50) tally.problems.push(`${answer.kind} → ${v.status}: ${v.detail}`);
    durations.push(answer.ms);
    if (tally.answers % every === 0) await options.onProgress?.(tally.answers);
  };
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < kinds.length) {
          const kind = kinds[next++] as Kind;
          await record(await soakRequest(pool, kind, options.deadlineMs));
        }
      }),
    );
  } finally {
    await pool.close();
  }
  durations.sort((a, b) => a - b);
  tally.maxMs = Math.round(durations.at(-1) ?? 0);
  tally.p99Ms = Math.round(durations[Math.floor(durations.length * 0.99)] ?? 0);
  tally.seconds = Math.round(Number(process.hrtime.bigint() - started) / 1e8) / 10;
  return tally;
}

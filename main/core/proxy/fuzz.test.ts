import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pick, type Rng } from '../../../bench/lib/fuzz-bodies';
import { fuzzCases, type FuzzCase } from '../../../bench/lib/fuzz-cases';
import { rawExchange, requestBytes, type RawResponse } from '../../../bench/lib/raw-http';
import { mulberry32 } from '../../simulator/prng';
import { startHarness, type Harness } from '../test-support/harness';

/**
 * Fuzzing the HTTP surface: 1,000 malformed requests from a seeded generator (bench/lib/fuzz-*.ts)
 * against the real engine over raw sockets — malformed bodies for /v1/chat/completions and
 * /v1/embeddings, unknown routes, the admin API, bad headers and framing. Every one must get a 4xx
 * with an OpenAI-shaped JSON error: never a 5xx, never a hang, never a crash.
 * FUZZ_SEED=n reproduces a run; the seed is in every failure message.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 7);
const CASES = 1_000;
/** A generous bound that only a hang reaches (the largest bodies take well under a second). */
const HANG_MS = 15_000;
const PARALLEL = 4;

let harness: Harness;
let port: number;

beforeAll(async () => {
  harness = await startHarness();
  port = Number(new URL(harness.origin).port);
});
afterAll(async () => {
  await harness?.close();
});

/** What is wrong with an answer, or null when it is a 4xx in OpenAI's error shape. */
function problemWith(response: RawResponse): string | null {
  if (response.status < 400 || response.status > 499) return `status ${response.status}`;
  if (!(response.headers['content-type'] ?? '').includes('application/json')) return `content-type ${response.headers['content-type'] ?? '(none)'}`;
  let body: { error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    return `body is not JSON: ${JSON.stringify(response.body.slice(0, 120))}`;
  }
  const error = body?.error;
  if (!error || typeof error !== 'object') return `no error object: ${response.body.slice(0, 120)}`;
  if (typeof error.message !== 'string' || error.message === '') return 'error.message missing';
  if (typeof error.type !== 'string' || error.type === '') return 'error.type missing';
  if (!('code' in error) || !(error.code === null || typeof error.code === 'string')) return 'error.code missing';
  if (!('param' in error) || !(error.param === null || typeof error.param === 'string')) return 'error.param missing';
  if (response.status === 429 && !response.headers['retry-after']) return '429 without Retry-After';
  return null;
}

async function run(cases: FuzzCase[]): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < cases.length) {
        const c = cases[next++] as FuzzCase;
        try {
          const problem = problemWith(await rawExchange(port, c.bytes, HANG_MS));
          if (problem) failures.push(`#${c.id} ${c.name}: ${problem}`);
        } catch (error) {
          failures.push(`#${c.id} ${c.name}: ${(error as Error).message}`);
        }
      }
    }),
  );
  return failures.sort();
}

describe('fuzzing the HTTP surface', () => {
  it(`answers ${CASES} malformed requests with 4xx OpenAI-shaped errors (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const cases = fuzzCases(SEED, CASES, { port, adminKey: harness.engine.adminKey });
    const failures = await run(cases);
    expect(failures.length, `seed ${SEED}: ${failures.length} of ${CASES} not answered with a well-formed 4xx:\n${failures.slice(0, 40).join('\n')}`).toBe(0);

    // Still alive, still serving, and nothing was logged as an internal error.
    const health = await rawExchange(port, requestBytes({ method: 'GET', path: '/health', port }));
    expect(health.status).toBe(200);
    const chat = await harness.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'still there?' }] });
    expect(chat.choices[0]?.message.content).toBeTruthy();
    expect(harness.logs.filter((line) => line.includes('"level":50') || line.includes('internal error'))).toEqual([]);
  });

  it('covers every kind of malformation it claims to (the generator is not degenerate)', () => {
    const names = fuzzCases(SEED, CASES, { port: 1, adminKey: 'k'.repeat(43) }).map((c) => c.name);
    for (const kind of ['wrong type', 'character string', '10,000 levels', 'array where an object goes', 'UTF-8', 'JSON cut after', 'empty body', 'sent as', 'Content-Length', 'Host', 'unknown route', 'admin key', '/admin/api/settings']) {
      expect(names.some((n) => n.includes(kind)), kind).toBe(true);
    }
    expect(new Set(names).size).toBeGreaterThan(200);
  });
});

/** `path` with a seeded random subset of its characters percent-encoded (upper or lower hex), slashes included or not. */
function encodeSome(path: string, rng: Rng, slashes: boolean): string {
  return [...path]
    .map((c) => (c !== '/' || slashes) && rng() < 0.4 ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`[rng() < 0.5 ? 'toUpperCase' : 'toLowerCase']() : c)
    .join('');
}

describe('attack probes: the client key cannot be bypassed by how the path is written (issue 15 item 1)', () => {
  const API_KEY = 'sk-switchyard-fuzz-probe-0123456789abcdef';
  let keyed: Harness;
  beforeAll(async () => {
    keyed = await startHarness({ env: { SWITCHYARD_API_KEY: API_KEY } });
  });
  afterAll(async () => {
    await keyed?.close();
  });

  it('answers 300 encoded variants of every /v1 route without the key with an OpenAI-shaped 4xx, never a 2xx, calling upstream for none', { timeout: 60_000 }, async () => {
    const rng = mulberry32(SEED);
    const keyedPort = Number(new URL(keyed.origin).port);
    const routes = [['POST', '/v1/chat/completions'], ['POST', '/v1/embeddings'], ['GET', '/v1/models'], ['GET', '/v1/tokens/stats']] as const;
    const body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"x"}],"input":"x"}';
    const inference = () => keyed.sim.stats().endpoints.chat + keyed.sim.stats().endpoints.embeddings;
    const before = inference();
    const cases: FuzzCase[] = Array.from({ length: 300 }, (_, id) => {
      const [method, path] = pick(rng, routes);
      const probe = encodeSome(path, rng, rng() < 0.2);
      const headers: Array<[string, string]> = [['Content-Type', 'application/json']];
      if (rng() < 0.3) headers.push(['Authorization', `Bearer ${pick(rng, ['nope', API_KEY.slice(0, -1), `${API_KEY}x`, API_KEY.slice(-6)])}`]);
      return { id, name: `${method} ${probe}`, bytes: requestBytes({ method, path: probe, port: keyedPort, headers, body: method === 'POST' ? body : undefined }) };
    });
    const failures: string[] = [];
    for (const c of cases) {
      const answer = await rawExchange(keyedPort, c.bytes, HANG_MS);
      const problem = problemWith(answer);
      if (problem) failures.push(`#${c.id} ${c.name}: ${problem}`);
    }
    expect(failures, failures.slice(0, 20).join('\n')).toEqual([]);
    expect(inference()).toBe(before);
  });
});

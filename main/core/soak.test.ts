import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../bench/lib/reconcile';
import { leftBehind, resourceCounts, settle } from '../../bench/lib/resources';
import { soakSimulator, soakUsers, writeSoakSettings } from '../../bench/lib/soak-config';
import { runSoakLoad } from '../../bench/lib/soak-load';
import { startHarness } from './test-support/harness';

/**
 * A short soak (the long one is `npm run soak`): the real engine in front of a simulator that
 * answers 10 % of requests with 429s of every variant, 5 % with 5xx, resets 2 % of connections and
 * never answers 1 %. Every request must get a success or a well-formed error within its deadline,
 * the engine's counters must equal what the simulator saw and what the client got, and nothing
 * (socket, timer) may outlive the engine.
 */

const SEED = Number(process.env.SOAK_SEED ?? 11);
const REQUESTS = 400;
const TIMEOUTS = { connectMs: 500, firstByteMs: 500, idleMs: 500, totalDeadlineMs: 6_000 };
/** The client's own deadline: the engine's, plus slack for the answer to travel. */
const CLIENT_DEADLINE_MS = TIMEOUTS.totalDeadlineMs + 4_000;

describe('soak (short)', () => {
  it(`answers ${REQUESTS} requests under injected faults, and its counters reconcile (seed ${SEED})`, { timeout: 60_000 }, async () => {
    const before = resourceCounts();
    const users = soakUsers(6);
    const dataDir = await mkdtemp(join(tmpdir(), 'switchyard-soak-'));
    await writeSoakSettings(dataDir, TIMEOUTS, 1_000);
    const h = await startHarness({ users, simulator: soakSimulator(users, SEED), dataDir });
    try {
      const tally = await runSoakLoad({ origin: h.origin, requests: REQUESTS, concurrency: 16, streamShare: 0.35, embeddingsShare: 0.15, deadlineMs: CLIENT_DEADLINE_MS, seed: SEED });
      expect(tally.problems, `seed ${SEED}`).toEqual([]);
      expect(tally.answers).toBe(REQUESTS);
      expect((tally.byOutcome.ok ?? 0) + (tally.byOutcome.error ?? 0) + (tally.byOutcome['stream-error'] ?? 0)).toBe(REQUESTS);

      // The upstream side of an attempt can end a moment after the client's answer (a hung socket closing).
      await settle(() => h.sim.stats().totals.inFlight === 0, 5_000);
      const sim = h.sim.stats();
      // The soak exercised what it claims: injected 429s, 5xx, resets / hangs (no status), and streams.
      expect(sim.totals.byStatus['429'] ?? 0).toBeGreaterThan(0);
      expect((sim.totals.byStatus['500'] ?? 0) + (sim.totals.byStatus['502'] ?? 0) + (sim.totals.byStatus['503'] ?? 0)).toBeGreaterThan(0);
      expect(sim.totals.requests - Object.values(sim.totals.byStatus).reduce((s, n) => s + n, 0)).toBeGreaterThan(0);
      expect(tally.byKind.stream).toBeGreaterThan(0);

      const metrics = await (await fetch(`${h.origin}/metrics`)).text();
      const result = reconcile(sim, metrics, tally);
      expect(result.checks.filter((c) => !c.equal), `seed ${SEED}`).toEqual([]);
    } finally {
      await h.close();
    }
    // Nothing the engine, the simulator or the client opened is still there.
    await settle(() => Object.keys(leftBehind(before, resourceCounts())).length === 0, 3_000);
    expect(leftBehind(before, resourceCounts())).toEqual({});
  });
});

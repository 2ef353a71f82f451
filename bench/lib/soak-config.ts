import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RandomFaultOptions, SimUser, SimulatorOptions } from '../../main/simulator';

/** The soak's world: several accounts, an upstream that misbehaves at issue 7's rates, small deadlines. */

export function soakUsers(count: number): SimUser[] {
  return Array.from({ length: count }, (_, i) => ({ token: `ghp_soak${String(i).padStart(2, '0')}${'x'.repeat(30)}Sk`, login: `soak${i}`, plan: 'free' as const }));
}

/** 10 % 429s (every variant and limit type in turn), 5 % 5xx, 2 % connection resets, 1 % hangs. */
export function soakFaults(seed: number): RandomFaultOptions {
  // Injected 429s announce waits of 1–3 s, so accounts come back within the soak.
  return { rate429: 0.1, rate5xx: 0.05, rateReset: 0.02, rateHang: 0.01, maxWaitSeconds: 3, seed };
}

export function soakSimulator(users: SimUser[], seed: number): SimulatorOptions {
  return {
    users,
    latencyMs: 2,
    stream: { chunks: 4, chunkDelayMs: 1 },
    // Quotas out of reach: every 429 is an injected one, so the counts can be reconciled.
    limits: { perMinute: 1e9, perDay: 1e9, concurrent: 1e6 },
    rateLimitVariant: 'mixed',
    faults: soakFaults(seed),
  };
}

export interface SoakTimeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  totalDeadlineMs: number;
}

/**
 * Written to settings.json before the engine starts (the upstream client's connect / first-byte /
 * idle timeouts are read at start). maxWaitMs bounds waits for resets and pacing.
 */
export async function writeSoakSettings(dataDir: string, timeouts: SoakTimeouts, maxWaitMs: number): Promise<void> {
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ maxWaitMs, defaultCooldownSeconds: 2, timeouts }));
}

export const envForUsers = (users: SimUser[], simUrl: string): Record<string, string> => {
  const env: Record<string, string> = { GITHUB_MODELS_BASE_URL: simUrl, GITHUB_API_BASE_URL: simUrl };
  users.forEach((u, i) => (env[i === 0 ? 'GITHUB_TOKEN' : `GITHUB_TOKEN${i + 1}`] = u.token));
  return env;
};

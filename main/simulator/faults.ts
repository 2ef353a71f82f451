import { CONCRETE_VARIANTS, type ConcreteRateLimitVariant, type RandomFaultOptions } from './options';
import { mulberry32 } from './prng';
import { WINDOW_SECONDS, type SimLimitType } from './quota';
import type { Endpoint } from './routes';

/** Faults the simulator can play: scripted by tests (`failNext`) or drawn at random from a seeded PRNG. */

export type ScriptedFault = '429' | '500' | '502' | '503' | 'reset' | 'reset-mid' | 'hang' | 'slow' | '401' | '403';

export interface FailNextOptions {
  /** Only requests of this login (case-insensitive). */
  login?: string;
  /** Only requests for this model (prefixed or bare name, case-insensitive). */
  model?: string;
  /** How many matching requests fail. Default 1. */
  count?: number;
  /** Default: any inference request (chat or embeddings). 'user' and 'catalog' target those GETs. */
  endpoint?: Exclude<Endpoint, 'unknown'>;
  /** '429': the limit type (default UserByModelByMinute), seconds to wait (default the type's window), N in the message (default the user's limit). */
  limitType?: SimLimitType;
  seconds?: number;
  limit?: number;
  /** '429': how it is shaped (default the simulator's rateLimitVariant). */
  variant?: ConcreteRateLimitVariant;
  /** '500' | '502' | '503': an HTML page instead of a JSON body. Default false. */
  html?: boolean;
  /** 'slow': delay before headers and between stream chunks. Default 250. */
  delayMs?: number;
}

export type FaultAction =
  | { kind: '429'; limitType: SimLimitType; seconds: number; limit: number | null; variant: ConcreteRateLimitVariant | null }
  | { kind: '5xx'; status: 500 | 502 | 503; html: boolean }
  /** midResponse: after the headers and part of the body; otherwise before any byte. */
  | { kind: 'reset'; midResponse: boolean }
  | { kind: 'hang' }
  | { kind: 'slow'; delayMs: number }
  | { kind: '401' }
  | { kind: '403' };

export interface FaultTarget {
  endpoint: Endpoint;
  login: string | null;
  model: string | null;
}

interface Scripted {
  action: FaultAction;
  left: number;
  options: FailNextOptions;
}

const LIMIT_TYPES: readonly SimLimitType[] = [
  'UserByModelByMinute',
  'UserByModelByDay',
  'UserByMinute',
  'UserConcurrentRequests',
  'UserByModelByMinuteTokens',
];
const SERVER_ERRORS = [500, 502, 503] as const;
const DEFAULT_SLOW_MS = 250;

export function scriptedAction(fault: ScriptedFault, o: FailNextOptions): FaultAction {
  switch (fault) {
    case '429': {
      const limitType = o.limitType ?? 'UserByModelByMinute';
      return { kind: '429', limitType, seconds: o.seconds ?? WINDOW_SECONDS[limitType], limit: o.limit ?? null, variant: o.variant ?? null };
    }
    case '500':
    case '502':
    case '503':
      return { kind: '5xx', status: Number(fault) as 500 | 502 | 503, html: o.html ?? false };
    case 'reset':
    case 'reset-mid':
      return { kind: 'reset', midResponse: fault === 'reset-mid' };
    case 'hang':
      return { kind: 'hang' };
    case 'slow':
      return { kind: 'slow', delayMs: o.delayMs ?? DEFAULT_SLOW_MS };
    case '401':
    case '403':
      return { kind: fault };
  }
}

function matches(o: FailNextOptions, t: FaultTarget): boolean {
  if (o.endpoint ? o.endpoint !== t.endpoint : t.endpoint !== 'chat' && t.endpoint !== 'embeddings') return false;
  if (o.login !== undefined && o.login.toLowerCase() !== t.login?.toLowerCase()) return false;
  if (o.model !== undefined) {
    const want = o.model.toLowerCase();
    const have = t.model?.toLowerCase() ?? '';
    if (want !== have && want !== have.split('/').pop()) return false;
  }
  return true;
}

export class FaultInjector {
  private scripted: Scripted[] = [];
  private random: RandomFaultOptions;
  private rng: () => number;
  private injected429 = 0;

  constructor(random: RandomFaultOptions = {}) {
    this.random = random;
    this.rng = mulberry32(random.seed ?? 1);
  }

  failNext(fault: ScriptedFault, options: FailNextOptions = {}): void {
    this.scripted.push({ action: scriptedAction(fault, options), left: options.count ?? 1, options });
  }

  /** Drops scripted faults; the random ones stay configured. */
  clear(): void {
    this.scripted = [];
  }

  /** Replaces the random fault settings and restarts the PRNG from their seed. */
  setRandom(random: RandomFaultOptions): void {
    this.random = random;
    this.rng = mulberry32(random.seed ?? 1);
    this.injected429 = 0;
  }

  /** The fault for this request, if any: scripted ones first (oldest first), then random ones. */
  next(target: FaultTarget): FaultAction | null {
    const index = this.scripted.findIndex((s) => matches(s.options, target));
    const entry = this.scripted[index];
    if (entry) {
      entry.left -= 1;
      if (entry.left <= 0) this.scripted.splice(index, 1);
      return entry.action;
    }
    if (target.endpoint !== 'chat' && target.endpoint !== 'embeddings') return null;
    return this.draw();
  }

  private draw(): FaultAction | null {
    const { rate429 = 0, rate5xx = 0, rateReset = 0, rateHang = 0, rateSlow = 0 } = this.random;
    if (rate429 + rate5xx + rateReset + rateHang + rateSlow <= 0) return null;
    let r = this.rng();
    if ((r -= rate429) < 0) return this.random429();
    if ((r -= rate5xx) < 0) return { kind: '5xx', status: SERVER_ERRORS[Math.floor(this.rng() * 3)] ?? 500, html: this.rng() < 0.5 };
    if ((r -= rateReset) < 0) return { kind: 'reset', midResponse: this.rng() < 0.5 };
    if ((r -= rateHang) < 0) return { kind: 'hang' };
    if ((r -= rateSlow) < 0) return { kind: 'slow', delayMs: this.random.slowDelayMs ?? DEFAULT_SLOW_MS };
    return null;
  }

  /** Cycles through every variant (period 4) and every limit type (period 5): all 20 pairs in 20 draws. */
  private random429(): FaultAction {
    const i = this.injected429++;
    const variant = CONCRETE_VARIANTS[i % CONCRETE_VARIANTS.length] ?? 'full';
    const limitType = LIMIT_TYPES[i % LIMIT_TYPES.length] ?? 'UserByModelByMinute';
    const window = WINDOW_SECONDS[limitType];
    const cap = Math.min(window, this.random.maxWaitSeconds ?? 60);
    const seconds = window === 0 ? 0 : 1 + Math.floor(this.rng() * Math.max(1, cap));
    return { kind: '429', limitType, seconds, limit: null, variant };
  }
}

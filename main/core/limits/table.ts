import type { Plan } from '../../../shared/domain';

/**
 * GitHub Models' documented limits (docs: "subject to change without notice"), per user and
 * per model. The engine uses them as a forecast; the simulator enforces them by default.
 */
export interface ModelLimits {
  perMinute: number;
  perDay: number;
  concurrent: number;
  maxInputTokens: number;
  maxOutputTokens: number;
}

export const LIMIT_TIERS = [
  'low',
  'high',
  'embedding',
  'o-series',
  'mini-reasoning',
  'deepseek-r1',
  'grok-3',
  'grok-3-mini',
] as const;
export type LimitTier = (typeof LIMIT_TIERS)[number];

const l = (perMinute: number, perDay: number, maxInputTokens: number, maxOutputTokens: number, concurrent: number): ModelLimits => ({
  perMinute,
  perDay,
  concurrent,
  maxInputTokens,
  maxOutputTokens,
});

/** Cells: requests per minute / per day / tokens in, out / concurrent. null: not available on that plan. */
export const LIMITS_TABLE: Record<LimitTier, Record<Plan, ModelLimits | null>> = {
  low: { free: l(15, 150, 8000, 4000, 5), pro: l(15, 150, 8000, 4000, 5), business: l(15, 300, 8000, 4000, 5), enterprise: l(20, 450, 8000, 8000, 8) },
  high: { free: l(10, 50, 8000, 4000, 2), pro: l(10, 50, 8000, 4000, 2), business: l(10, 100, 8000, 4000, 2), enterprise: l(15, 150, 16000, 8000, 4) },
  embedding: { free: l(15, 150, 64000, 0, 5), pro: l(15, 150, 64000, 0, 5), business: l(15, 300, 64000, 0, 5), enterprise: l(20, 450, 64000, 0, 8) },
  'o-series': { free: null, pro: l(1, 8, 4000, 4000, 1), business: l(2, 10, 4000, 4000, 1), enterprise: l(2, 12, 4000, 8000, 1) },
  'mini-reasoning': { free: null, pro: l(2, 12, 4000, 4000, 1), business: l(3, 15, 4000, 4000, 1), enterprise: l(3, 20, 4000, 4000, 1) },
  'deepseek-r1': { free: l(1, 8, 4000, 4000, 1), pro: l(1, 8, 4000, 4000, 1), business: l(2, 10, 4000, 4000, 1), enterprise: l(2, 12, 4000, 4000, 1) },
  'grok-3': { free: l(1, 15, 4000, 4000, 1), pro: l(1, 15, 4000, 4000, 1), business: l(2, 20, 4000, 8000, 1), enterprise: l(2, 30, 4000, 16000, 1) },
  'grok-3-mini': { free: l(2, 30, 4000, 8000, 1), pro: l(2, 30, 4000, 8000, 1), business: l(3, 40, 4000, 12000, 1), enterprise: l(3, 50, 4000, 12000, 1) },
};

/** Special per-model tiers, matched on the model's name (the part after the publisher), lower-cased. */
const SPECIAL_TIERS: Array<[RegExp, LimitTier]> = [
  [/^(o1|o3|gpt-5)$/, 'o-series'],
  [/^(o1-mini|o3-mini|o4-mini|gpt-5-(mini|nano|chat))$/, 'mini-reasoning'],
  [/^(deepseek-r1|deepseek-r1-0528|mai-ds-r1)$/, 'deepseek-r1'],
  [/^grok-3$/, 'grok-3'],
  [/^grok-3-mini$/, 'grok-3-mini'],
];

export interface TierInput {
  id: string;
  rate_limit_tier?: string;
}

/** Tiers already worked out, by id and declared tier: the forecast asks on every request. */
const tiers = new Map<string, LimitTier>();
const MAX_TIERS = 4_096;

/** The limit tier of a catalog entry: special model names first, then embeddings, then `rate_limit_tier`. */
export function tierOf(model: TierInput): LimitTier {
  const key = model.rate_limit_tier === undefined ? model.id : `${model.id}\u0000${model.rate_limit_tier}`;
  let tier = tiers.get(key);
  if (tier === undefined) {
    tier = tierFromName(model);
    if (tiers.size >= MAX_TIERS) tiers.clear();
    tiers.set(key, tier);
  }
  return tier;
}

function tierFromName(model: TierInput): LimitTier {
  const name = (model.id.split('/').pop() ?? model.id).toLowerCase();
  for (const [pattern, tier] of SPECIAL_TIERS) if (pattern.test(name)) return tier;
  const declared = model.rate_limit_tier?.toLowerCase();
  if (declared === 'embeddings' || declared === 'embedding' || name.includes('embed')) return 'embedding';
  if (declared === 'high') return 'high';
  if (declared === 'custom') return 'o-series';
  return 'low';
}

/** Forecast limits for a model on a plan; null when the plan has no access to it. */
export function limitsFor(model: TierInput, plan: Plan): ModelLimits | null {
  return LIMITS_TABLE[tierOf(model)][plan];
}

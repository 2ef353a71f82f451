import { z } from 'zod';
import { LIMIT_TYPES } from '../../../shared/domain';
import { PROVIDER_IDS } from '../providers/types';
import { COUNTED_TYPES } from './quota-store';
import type { PoolParts } from './parts';
import { marksOf, restoreMarks, sweep } from './health';

/**
 * The ledger as saved: the quota store's snapshot (owners and stated limits), marks, logins by
 * token fingerprint, totals, traffic. Version 1 kept quota by subject (`login:<login>`,
 * `key:<account>`); it is read into owners (`github:<login>`, `github:key:<account>`).
 */
export const LEDGER_VERSION = 2;

const RESET_SOURCES = ['x-ratelimit-timeremaining', 'retry-after', 'message', 'default'] as const;
const count = z.number().int().min(0);
const windowSchema = z.object({ start: z.number().nullable(), count });
const cooldownSchema = z.object({
  until: z.number(),
  limitType: z.enum(LIMIT_TYPES),
  source: z.enum(RESET_SOURCES),
  scope: z.enum(['model', 'user', 'concurrency']),
  account: z.string(),
});
const entrySchema = z.object({ model: z.string().min(1), minute: windowSchema, day: windowSchema, tokensDay: windowSchema, cooldown: cooldownSchema.nullable() });
const OWNER_KEY = new RegExp(`^(${PROVIDER_IDS.join('|')}):.+`);
const ownerSchema = z.object({
  owner: z.string().regex(OWNER_KEY),
  minute: windowSchema,
  day: windowSchema,
  models: z.array(entrySchema),
  userCooldown: cooldownSchema.nullable(),
  pause: cooldownSchema.nullable(),
  cap: z.object({ value: z.number().int().min(1), until: z.number() }).nullable(),
});
const accountSchema = z.object({
  key: z.string().min(1),
  fingerprint: z.string().min(8),
  invalid: z.string().nullable(),
  forbidden: z.array(z.string()),
  failures: count,
});
const loginSchema = z.object({ fingerprint: z.string().min(8), login: z.string().min(1), avatarUrl: z.string().nullable() });
const totalsSchema = z.object({ key: z.string(), served: count, rateLimited: count, errors: count });
const bucketSchema = z.object({ start: z.number(), account: z.string(), served: count, rotated: count, rateLimited: count });
const modelSchema = z.object({ id: z.string().min(1), rate_limit_tier: z.string().optional(), provider: z.enum(PROVIDER_IDS).optional() });
const limitSchema = z.object({
  owner: z.string().regex(OWNER_KEY),
  model: z.string().min(1),
  limitType: z.enum(COUNTED_TYPES),
  limit: z.number().int().min(1),
  confirmed: z.boolean(),
  at: z.number(),
});
const envelopeSchema = z.object({
  version: z.literal([1, LEDGER_VERSION]),
  savedAt: z.number(),
  /** Version 1 only. */
  subjects: z.array(z.unknown()).optional(),
  /** Version 2. */
  owners: z.array(z.unknown()).optional(),
  accounts: z.array(z.unknown()),
  logins: z.array(z.unknown()),
  totals: z.array(z.unknown()),
  traffic: z.array(z.unknown()),
  models: z.array(z.unknown()),
  current: z.string().nullable(),
  lastIndex: z.number().int(),
  /** Window limits GitHub stated (absent in ledgers saved before they were kept). */
  limits: z.array(z.unknown()).optional(),
  /** Providers that said they no longer serve. */
  retired: z.array(z.unknown()).optional(),
});
const retiredSchema = z.object({ provider: z.enum(PROVIDER_IDS), since: z.string(), message: z.string().min(1) });

/** A version 1 subject id as an owner key: `login:alice` → `github:alice`, `key:K` → `github:key:K`. */
export function ownerOfSubject(id: string): string | null {
  if (id.startsWith('login:') && id.length > 6) return `github:${id.slice(6)}`;
  if (id.startsWith('key:') && id.length > 4) return `github:${id}`;
  return null;
}

/** Version 1 items renamed to version 2's: `id`/`subject` become `owner` (unknown ids are dropped later). */
function migrateItem(item: unknown, field: 'id' | 'subject'): unknown {
  if (!item || typeof item !== 'object') return item;
  const { [field]: id, ...rest } = item as Record<string, unknown>;
  return { ...rest, owner: typeof id === 'string' ? ownerOfSubject(id) : null };
}

/** Keeps the items of a list that match the schema (one bad item does not spoil the rest). */
function valid<T>(items: unknown[], schema: z.ZodType<T>): T[] {
  return items.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function serializeLedger(ctx: Pick<PoolParts, 'book' | 'clock' | 'models' | 'quota' | 'retired' | 'traffic'>): Promise<unknown> {
  const now = ctx.clock.now();
  const accounts = ctx.book.accounts.map((a) => ({ key: a.key, fingerprint: a.fingerprint, ...marksOf(a) }));
  const present = new Set(ctx.book.accounts.map((a) => a.key));
  for (const [key, saved] of ctx.book.savedMarks) if (!present.has(key)) accounts.push({ key, ...saved });
  const quota = await ctx.quota.snapshot(now);
  return {
    version: LEDGER_VERSION,
    savedAt: now,
    owners: quota.owners,
    accounts,
    logins: [...ctx.book.loginCache].map(([fingerprint, v]) => ({ fingerprint, login: v.login, avatarUrl: v.avatarUrl })),
    totals: [...ctx.book.totals].map(([key, t]) => ({ key, ...t })),
    traffic: ctx.traffic.history(now),
    models: [...ctx.models.values()],
    current: ctx.book.current,
    lastIndex: ctx.book.lastIndex,
    limits: quota.limits,
    retired: [...ctx.retired.values()].map((r) => ({ ...r })),
  };
}

/**
 * Loads a saved ledger. Anything unreadable is dropped (an invalid whole leaves the pool as it
 * is: empty at start); never throws. Marks apply to accounts whose token fingerprint matches.
 */
export async function restoreLedger(ctx: Pick<PoolParts, 'book' | 'clock' | 'exhausted' | 'logger' | 'models' | 'quota' | 'retired' | 'signals' | 'sweeper' | 'traffic' | 'waker'>, raw: unknown): Promise<boolean> {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    if (raw !== undefined && raw !== null) ctx.logger.warn({ tag: 'ledger' }, 'Saved quota ledger is unreadable; starting empty');
    return false;
  }
  const data = envelope.data;
  const legacy = data.version === 1;
  const owners = legacy ? (data.subjects ?? []).map((s) => migrateItem(s, 'id')) : (data.owners ?? []);
  const limits = legacy ? (data.limits ?? []).map((l) => migrateItem(l, 'subject')) : (data.limits ?? []);
  await ctx.quota.restore({ owners: valid(owners, ownerSchema), limits: valid(limits, limitSchema) });
  for (const l of valid(data.logins, loginSchema)) ctx.book.loginCache.set(l.fingerprint, { login: l.login, avatarUrl: l.avatarUrl });
  ctx.book.totals.clear();
  for (const t of valid(data.totals, totalsSchema)) ctx.book.totals.set(t.key, { served: t.served, rateLimited: t.rateLimited, errors: t.errors });
  ctx.traffic.load(valid(data.traffic, bucketSchema));
  for (const m of valid(data.models, modelSchema)) ctx.models.set(m.id, m);
  ctx.book.current = data.current;
  ctx.book.lastIndex = data.lastIndex;
  // Remembered, not news: no event again after a restart.
  for (const r of valid(data.retired ?? [], retiredSchema)) ctx.retired.set(r.provider, r);

  ctx.book.savedMarks.clear();
  for (const a of valid(data.accounts, accountSchema)) {
    const account = ctx.book.accounts.find((x) => x.key === a.key);
    if (!account) {
      ctx.book.savedMarks.set(a.key, { fingerprint: a.fingerprint, invalid: a.invalid, forbidden: a.forbidden, failures: a.failures });
    } else if (account.fingerprint === a.fingerprint) {
      restoreMarks(account, a);
    }
  }
  for (const account of ctx.book.accounts) {
    const cached = ctx.book.loginCache.get(account.fingerprint);
    if (!account.login && cached) {
      account.login = cached.login;
      ctx.book.ownerEpoch++;
      account.avatarUrl = cached.avatarUrl;
    }
  }
  await sweep(ctx);
  ctx.signals.notify();
  ctx.waker.wakeAll();
  return true;
}

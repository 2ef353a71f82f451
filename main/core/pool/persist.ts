import { z } from 'zod';
import { LIMIT_TYPES } from '../../../shared/domain';
import { COUNTED_TYPES } from './confirmed-limits';
import { notify, wake, type PoolContext } from './context';
import { emptyEntry, emptySubject, type CooldownRecord } from './ledger';
import { sweep } from './sweep';

/** The ledger as saved: cooldowns, window counts, marks, logins by token fingerprint, totals, traffic. */
export const LEDGER_VERSION = 1;

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
const subjectSchema = z.object({
  id: z.string().regex(/^(login|key):.+/),
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
const modelSchema = z.object({ id: z.string().min(1), rate_limit_tier: z.string().optional() });
const limitNoteSchema = z.object({
  subject: z.string().regex(/^(login|key):.+/),
  model: z.string().min(1),
  limitType: z.enum(COUNTED_TYPES),
  limit: z.number().int().min(1),
  confirmed: z.boolean(),
  at: z.number(),
});
const envelopeSchema = z.object({
  version: z.literal(LEDGER_VERSION),
  savedAt: z.number(),
  subjects: z.array(z.unknown()),
  accounts: z.array(z.unknown()),
  logins: z.array(z.unknown()),
  totals: z.array(z.unknown()),
  traffic: z.array(z.unknown()),
  models: z.array(z.unknown()),
  current: z.string().nullable(),
  lastIndex: z.number().int(),
  /** Window limits GitHub stated (absent in ledgers saved before they were kept). */
  limits: z.array(z.unknown()).optional(),
});

/** Keeps the items of a list that match the schema (one bad item does not spoil the rest). */
function valid<T>(items: unknown[], schema: z.ZodType<T>): T[] {
  return items.flatMap((item) => {
    const parsed = schema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

const live = (record: CooldownRecord | null, now: number) => (record && record.until > now ? record : null);

export function serializeLedger(ctx: PoolContext): unknown {
  const now = ctx.clock.now();
  const accounts = ctx.accounts.map((a) => ({ key: a.key, fingerprint: a.fingerprint, invalid: a.invalid?.reason ?? null, forbidden: [...a.forbidden], failures: a.failures }));
  const present = new Set(ctx.accounts.map((a) => a.key));
  for (const [key, saved] of ctx.savedMarks) if (!present.has(key)) accounts.push({ key, ...saved });
  return {
    version: LEDGER_VERSION,
    savedAt: now,
    subjects: [...ctx.ledger.subjects.values()].map((s) => ({
      id: s.id,
      minute: { ...s.minute },
      day: { ...s.day },
      models: [...s.models].map(([model, e]) => ({ model, minute: { ...e.minute }, day: { ...e.day }, tokensDay: { ...e.tokensDay }, cooldown: live(e.cooldown, now) })),
      userCooldown: live(s.userCooldown, now),
      pause: live(s.pause, now),
      cap: s.cap && s.cap.until > now ? { ...s.cap } : null,
    })),
    accounts,
    logins: [...ctx.loginCache].map(([fingerprint, v]) => ({ fingerprint, login: v.login, avatarUrl: v.avatarUrl })),
    totals: [...ctx.totals].map(([key, t]) => ({ key, ...t })),
    traffic: ctx.traffic.history(now),
    models: [...ctx.models.values()],
    current: ctx.current,
    lastIndex: ctx.lastIndex,
    limits: ctx.ledger.limits.list(),
  };
}

/**
 * Loads a saved ledger. Anything unreadable is dropped (an invalid whole leaves the pool as it
 * is: empty at start); never throws. Marks apply to accounts whose token fingerprint matches.
 */
export function restoreLedger(ctx: PoolContext, raw: unknown): boolean {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) {
    if (raw !== undefined && raw !== null) ctx.logger.warn({ tag: 'ledger' }, 'Saved quota ledger is unreadable; starting empty');
    return false;
  }
  const data = envelope.data;
  ctx.ledger.clear();
  for (const s of valid(data.subjects, subjectSchema)) {
    const subject = emptySubject(s.id);
    subject.minute = s.minute;
    subject.day = s.day;
    subject.userCooldown = s.userCooldown;
    subject.pause = s.pause;
    subject.cap = s.cap;
    for (const e of s.models) subject.models.set(e.model, { ...emptyEntry(), minute: e.minute, day: e.day, tokensDay: e.tokensDay, cooldown: e.cooldown });
    ctx.ledger.subjects.set(subject.id, subject);
  }
  ctx.ledger.limits.load(valid(data.limits ?? [], limitNoteSchema));
  for (const l of valid(data.logins, loginSchema)) ctx.loginCache.set(l.fingerprint, { login: l.login, avatarUrl: l.avatarUrl });
  ctx.totals.clear();
  for (const t of valid(data.totals, totalsSchema)) ctx.totals.set(t.key, { served: t.served, rateLimited: t.rateLimited, errors: t.errors });
  ctx.traffic.load(valid(data.traffic, bucketSchema));
  for (const m of valid(data.models, modelSchema)) ctx.models.set(m.id, m);
  ctx.current = data.current;
  ctx.lastIndex = data.lastIndex;

  ctx.savedMarks.clear();
  for (const a of valid(data.accounts, accountSchema)) {
    const account = ctx.accounts.find((x) => x.key === a.key);
    if (!account) {
      ctx.savedMarks.set(a.key, { fingerprint: a.fingerprint, invalid: a.invalid, forbidden: a.forbidden, failures: a.failures });
    } else if (account.fingerprint === a.fingerprint) {
      account.invalid = a.invalid !== null ? { reason: a.invalid } : null;
      account.forbidden = new Set(a.forbidden);
      account.failures = a.failures;
    }
  }
  for (const account of ctx.accounts) {
    const cached = ctx.loginCache.get(account.fingerprint);
    if (!account.login && cached) {
      account.login = cached.login;
      account.avatarUrl = cached.avatarUrl;
    }
  }
  sweep(ctx);
  notify(ctx);
  wake(ctx);
  return true;
}

import { z } from 'zod';
import { PLANS, STRATEGIES } from './domain';
import { PROVIDER_IDS, type ProviderId } from './providers-catalog';
import { routeSettingsSchema } from './routes';

/** An http(s) URL, without trailing slashes. */
export const httpUrlSchema = z
  .string()
  .trim()
  .max(2_000)
  .refine((raw) => {
    try {
      return ['http:', 'https:'].includes(new URL(raw).protocol);
    } catch {
      return false;
    }
  }, 'Give an http:// or https:// address.')
  .transform((url) => url.replace(/\/+$/, ''));

/** The provider-specific parts of an account (the key itself is never here). */
export const accountCredentialFields = {
  /**
   * Which provider the account is at. Absent means 'github' (files saved before providers stay
   * valid and code written before them compiles); read it with accountProvider().
   */
  provider: z.enum(PROVIDER_IDS).optional(),
  /** Overrides the provider's base URL (an OpenAI-compatible endpoint needs one). */
  baseUrl: httpUrlSchema.optional(),
  /** Cloudflare's account id. */
  accountId: z.string().trim().min(1).max(200).optional(),
  /** Azure OpenAI's resource endpoint. */
  endpoint: httpUrlSchema.optional(),
  /** Keys declared to share one quota (a Gemini project, a Mistral organisation). */
  quotaGroup: z.string().trim().min(1).max(200).optional(),
};

/** Account metadata kept in settings. Tokens are never here: they live in the secret store. */
export const accountSettingsSchema = z.object({
  key: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/),
  plan: z.enum(PLANS).default('free'),
  disabled: z.boolean().default(false),
  ...accountCredentialFields,
});
export type AccountSettings = z.infer<typeof accountSettingsSchema>;

/** The account's provider: GitHub when the saved account predates providers. */
export function accountProvider(account: Pick<AccountSettings, 'provider'>): ProviderId {
  return account.provider ?? 'github';
}

export const settingsSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(4000),
  strategy: z.enum(STRATEGIES).default('sticky'),
  /** When every account is cooling for a model, wait this long for the earliest reset before answering 429. */
  maxWaitMs: z.number().int().min(0).max(600_000).default(20_000),
  /** Cooldown used when a 429 carries no readable reset time. */
  defaultCooldownSeconds: z.number().int().min(1).max(86_400).default(60),
  /** A non-streamed answer is held whole (so one that breaks off is retried elsewhere) up to this size; a larger one is refused clearly. */
  maxAnswerBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(32 * 1024 * 1024),
  /** The old system's ENABLE_MODEL_THROTTLING / MODEL_MIN_INTERVAL_MS. */
  throttling: z
    .object({
      enabled: z.boolean().default(false),
      minIntervalMs: z.number().int().min(0).max(600_000).default(2_000),
      maxQueue: z.number().int().min(1).max(10_000).default(100),
      maxWaitMs: z.number().int().min(0).max(600_000).default(60_000),
    })
    .prefault({}),
  /** The old system's RATE_LIMIT_ENABLED / RATE_LIMIT_PER_MINUTE: inbound limit per client. */
  inboundRateLimit: z
    .object({
      enabled: z.boolean().default(false),
      perMinute: z.number().int().min(1).max(100_000).default(30),
    })
    .prefault({}),
  /** When set, `/v1/*` requires `Authorization: Bearer <apiKey>`. */
  apiKey: z.string().min(8).max(200).nullable().default(null),
  /** Browser origins allowed to call the proxy (CORS). Empty: none. */
  allowedOrigins: z.array(z.string().url()).default([]),
  timeouts: z
    .object({
      connectMs: z.number().int().min(100).max(120_000).default(10_000),
      /** Time to response headers (first byte). */
      firstByteMs: z.number().int().min(100).max(600_000).default(60_000),
      /** Longest silence between stream chunks. */
      idleMs: z.number().int().min(100).max(600_000).default(60_000),
      /** Whole request, all retries included. */
      totalDeadlineMs: z.number().int().min(1_000).max(1_800_000).default(180_000),
      /**
       * Longest a streamed answer may run, from its headers to its end; past it the stream is cut (upstream
       * request and its slot freed) and ends with an error event in the client's dialect.
       */
      maxStreamMs: z.number().int().min(1_000).max(86_400_000).default(1_800_000),
    })
    .prefault({}),
  notifications: z
    .object({
      rotation: z.boolean().default(true),
      invalid: z.boolean().default(true),
      exhausted: z.boolean().default(true),
      recovery: z.boolean().default(true),
    })
    .prefault({}),
  launchAtLogin: z.boolean().default(false),
  /**
   * Claude model names (what Claude Code sends by default) → a model or route Switchyard serves,
   * e.g. {"claude-sonnet-*": "openai/gpt-4.1", "claude-haiku-*": "openai/gpt-4o-mini"}. A key is an
   * exact name, a name that also matches its dated versions (`claude-sonnet-4-5` matches
   * `claude-sonnet-4-5-20250929`), or a prefix ending in `*`; the longest match wins.
   */
  claudeModelMap: z.record(z.string().min(1).max(200), z.string().trim().min(1).max(200)).default({}),
  /** Routes: model names that stand for ordered `{provider}/{model}` targets (shared/routes.ts). */
  routes: routeSettingsSchema.default([]),
  /** A bare model id listed by several providers is served across all of them, in catalog order. */
  bareIdFallback: z.boolean().default(true),
  /** Accounts in their order of preference. */
  accounts: z.array(accountSettingsSchema).default([]),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;

/** A partial update from a view: nested objects merge, arrays replace. Missing fields stay as they are. */
export type SettingsPatch = {
  [K in Exclude<keyof Settings, 'schemaVersion' | 'accounts'>]?: Settings[K] extends unknown[] ? Settings[K] : Settings[K] extends object ? Partial<Settings[K]> : Settings[K];
};

/**
 * Validates a SettingsPatch. Built from settingsSchema with every default removed, so a
 * field the caller left out stays out (a patch must never reset other settings to defaults).
 */
export const settingsPatchSchema = withoutDefaults(settingsSchema.omit({ schemaVersion: true, accounts: true })) as unknown as z.ZodType<SettingsPatch>;

function withoutDefaults(schema: z.ZodType): z.ZodType {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault) inner = inner.unwrap() as z.ZodType;
  if (!(inner instanceof z.ZodObject)) return inner;
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(inner.shape as Record<string, z.ZodType>)) shape[key] = withoutDefaults(field).optional();
  return z.object(shape).strict();
}

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}

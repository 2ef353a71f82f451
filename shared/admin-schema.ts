import { z } from 'zod';
import { PLANS } from './domain';
import type { EventKind } from './events';
import { PROVIDER_IDS, PROVIDER_INFO, type ProviderCredentialField } from './providers-catalog';
import { accountCredentialFields, accountSettingsSchema, settingsPatchSchema } from './settings';

/**
 * The one schema of the admin API's inputs, used by both of its transports: the Electron IPC
 * handlers (main/app/ipc-schemas.ts) and the admin HTTP routes (main/core/proxy/routes/admin.ts).
 * Extra keys and wrong types are refused before the engine is called.
 */

export const EVENT_KINDS = [
  'started', 'stopped', 'proxy-started', 'proxy-stopped', 'rotated', 'cooldown-started', 'cooldown-ended',
  'account-invalid', 'model-forbidden', 'model-exhausted', 'recovered', 'circuit-opened', 'manual-reset',
  'account-added', 'account-removed', 'duplicate-login', 'provider-retired', 'route-fallback',
] as const satisfies readonly EventKind[];
// Fails to compile when events.ts gains a kind that is missing above.
const allKinds: Exclude<EventKind, (typeof EVENT_KINDS)[number]> extends never ? true : false = true;
void allKinds;

export const accountKeySchema = accountSettingsSchema.shape.key;
const plan = z.enum(PLANS);

const { baseUrl, accountId, endpoint, quotaGroup } = accountCredentialFields;

/** What each provider needs beside the key, in the words a person reads. */
const NEEDS_MESSAGE: Record<ProviderCredentialField, (name: string) => string> = {
  accountId: (name) => `${name} needs the account id beside the token (the dashboard shows it).`,
  endpoint: (name) => `${name} needs the resource endpoint (https://<resource>.openai.azure.com).`,
  baseUrl: (name) => `An ${name} needs its base URL (e.g. http://localhost:11434/v1).`,
};

/** Adds an account of any provider (no provider: GitHub, as before providers). */
export const addAccountSchema = z
  .object({
    token: z.string().trim().min(1, 'Paste a token.').max(400),
    plan: plan.optional(),
    key: accountKeySchema.optional(),
    provider: z.enum(PROVIDER_IDS).optional(),
    baseUrl,
    accountId,
    endpoint,
    quotaGroup,
  })
  .strict()
  .superRefine((input, ctx) => {
    const info = PROVIDER_INFO[input.provider ?? 'github'];
    if (info.needs && input[info.needs] === undefined) {
      ctx.addIssue({ code: 'custom', path: [info.needs], message: NEEDS_MESSAGE[info.needs](info.name) });
    }
  });

export const accountPatchSchema = z.object({ plan: plan.optional(), disabled: z.boolean().optional() }).strict();

/** Account keys in their new order of preference. */
export const accountOrderSchema = z.array(accountKeySchema).min(1).max(1_000);
/** The HTTP body of a reorder: `{keys}`. */
export const reorderBodySchema = z.object({ keys: accountOrderSchema }).strict();

export const resetTargetSchema = z.object({ account: accountKeySchema.optional(), model: z.string().min(1).max(200).optional() }).strict();

const eventLimit = z.number().int().min(1).max(5_000);
export const eventQuerySchema = z.object({ limit: eventLimit.optional(), account: accountKeySchema.optional(), kind: z.enum(EVENT_KINDS).optional() }).strict();
/** The same query read from a URL (numbers arrive as text; `key` is an older name of `account`). */
export const eventSearchSchema = eventQuerySchema.extend({ limit: z.coerce.number().pipe(eventLimit).optional(), key: accountKeySchema.optional() });

export { settingsPatchSchema };

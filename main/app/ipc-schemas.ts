import { z } from 'zod';
import { PLANS } from '../../shared/domain';
import type { EventKind } from '../../shared/events';
import type { InvokeArgs, InvokeMethod } from '../../shared/ipc';
import { accountSettingsSchema, settingsPatchSchema } from '../../shared/settings';

/**
 * The arguments each IPC method accepts, as zod tuples. Extra arguments, extra keys and wrong
 * types are refused before the engine is called.
 */

const EVENT_KINDS = [
  'started', 'stopped', 'proxy-started', 'proxy-stopped', 'rotated', 'cooldown-started', 'cooldown-ended',
  'account-invalid', 'model-forbidden', 'model-exhausted', 'recovered', 'circuit-opened', 'manual-reset',
  'account-added', 'account-removed', 'duplicate-login', 'provider-retired',
] as const satisfies readonly EventKind[];
// Fails to compile when events.ts gains a kind that is missing above.
const allKinds: Exclude<EventKind, (typeof EVENT_KINDS)[number]> extends never ? true : false = true;
void allKinds;

const accountKey = accountSettingsSchema.shape.key;
const plan = z.enum(PLANS);
const none = z.tuple([]);

export const IPC_ARGS: { [M in InvokeMethod]: z.ZodType<InvokeArgs<M>, unknown> } = {
  getSnapshot: none,
  getEvents: z.tuple([
    z
      .object({
        limit: z.number().int().min(1).max(10_000).optional(),
        account: accountKey.optional(),
        kind: z.enum(EVENT_KINDS).optional(),
      })
      .strict()
      .optional(),
  ]),
  getSettings: none,
  updateSettings: z.tuple([settingsPatchSchema]),
  addAccount: z.tuple([
    z.object({ token: z.string().min(1).max(512), plan: plan.optional(), key: accountKey.optional() }).strict(),
  ]),
  importFromGh: none,
  removeAccount: z.tuple([accountKey]),
  updateAccount: z.tuple([accountKey, z.object({ plan: plan.optional(), disabled: z.boolean().optional() }).strict()]),
  reorderAccounts: z.tuple([z.array(accountKey).max(1_000)]),
  reset: z.tuple([z.object({ account: accountKey.optional(), model: z.string().min(1).max(200).optional() }).strict()]),
  startProxy: none,
  stopProxy: none,
  generateApiKey: none,
  clearApiKey: none,
};

/** Plain words for a refused input, e.g. "port: Too big: expected number to be <=65535". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.slice(1).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

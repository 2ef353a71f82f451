import { z } from 'zod';
import {
  accountKeySchema,
  accountOrderSchema,
  accountPatchSchema,
  addAccountSchema,
  eventQuerySchema,
  resetTargetSchema,
  settingsPatchSchema,
} from '../../shared/admin-schema';
import type { InvokeArgs, InvokeMethod } from '../../shared/ipc';

/**
 * The arguments each IPC method accepts, as zod tuples of the admin API's one schema
 * (shared/admin-schema.ts). Extra arguments, extra keys and wrong types are refused before the
 * engine is called.
 */

const none = z.tuple([]);

export const IPC_ARGS: { [M in InvokeMethod]: z.ZodType<InvokeArgs<M>, unknown> } = {
  getSnapshot: none,
  getEvents: z.tuple([eventQuerySchema.optional()]),
  getSettings: none,
  updateSettings: z.tuple([settingsPatchSchema]),
  addAccount: z.tuple([addAccountSchema]),
  importFromGh: none,
  listAccounts: none,
  removeAccount: z.tuple([accountKeySchema]),
  updateAccount: z.tuple([accountKeySchema, accountPatchSchema]),
  reorderAccounts: z.tuple([accountOrderSchema]),
  reset: z.tuple([resetTargetSchema]),
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

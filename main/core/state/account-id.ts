import { z } from 'zod';

/** Account ids (names like GITHUB_TOKEN2 or work-laptop): letters, digits, `_`, `.`, `-`; 64 at most (as settings.accounts allows). */
const ACCOUNT_ID = /^[A-Za-z0-9_.-]{1,64}$/;

export const ACCOUNT_ID_RULE = 'use 1 to 64 letters, digits, "_", "." or "-", and not a name JavaScript objects already have (__proto__, constructor, toString, …)';

/** Safe as a key of any map: the character set above, and never a name that plain objects already have (`constructor`, `toString`, …). */
export function isSafeAccountId(id: string): boolean {
  return ACCOUNT_ID.test(id) && !(id in Object.prototype);
}

export const accountIdSchema = z.string().refine(isSafeAccountId, { message: `Not a valid account name: ${ACCOUNT_ID_RULE}.` });

/** A map from account id to value with no prototype (no key can reach Object.prototype), keeping only safe ids. */
export function accountMap<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  for (const [id, value] of entries) if (isSafeAccountId(id)) out[id] = value;
  return out;
}

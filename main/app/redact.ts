/** Keeping tokens out of anything that leaves the main process. */
import { createRedactor } from '../core/mask';

/** A deep copy of `value` with every occurrence of a secret (keys included) replaced by its masked form. */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  const redactor = createRedactor(() => secrets);
  return redactor.secrets().length === 0 ? value : redactor.redactDeep(value, { shapes: false });
}

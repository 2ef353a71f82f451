import { randomBytes } from 'node:crypto';

/** A fresh start id: in every event, log line and `/health` of one run. Shells make it first, so their log lines carry it from the beginning. */
export function newStartId(): string {
  return randomBytes(4).toString('hex');
}

import type { OwnerKey } from '../quota-store';

/**
 * Where the Redis store keeps things, all under one prefix (several teams or test runs can share
 * one Redis): per owner a document and a lease set, an index of owners (scored by when their
 * keys expire), account marks, a capped event stream, and the channel that tells replicas an owner changed.
 */
export interface KeyLayout {
  doc(owner: OwnerKey): string;
  leases(owner: OwnerKey): string;
  readonly owners: string;
  /** Account marks (marks.ts). */
  readonly marks: string;
  readonly events: string;
  /** The engine events every replica shares (event-stream.ts): rotations, cooldowns, accounts… */
  readonly engineEvents: string;
  readonly channel: string;
}

export function keyLayout(prefix: string): KeyLayout {
  return {
    doc: (owner) => `${prefix}owner:${owner}`,
    leases: (owner) => `${prefix}leases:${owner}`,
    owners: `${prefix}owners`,
    marks: `${prefix}marks`,
    events: `${prefix}events`,
    engineEvents: `${prefix}engine-events`,
    channel: `${prefix}changed`,
  };
}

export { createPool } from './pool';
export type { PoolDeps, PoolLogger, PoolObservation, RotationReason } from './observations';
export type { AccountInput, DispatchRequest, DispatchResult, DispatchSuccess, Pool, PoolSnapshot } from './types';
export { maskToken, fingerprintOf } from './accounts';
export { formatDuration } from './messages';

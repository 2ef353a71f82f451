export { createPool } from './pool';
export type { PoolDeps, PoolLogger, PoolObservation, RotationReason } from './pool-deps';
export type { AccountInput, DispatchRequest, DispatchResult, DispatchSuccess, Pool, PoolSnapshot } from './types';
export { fingerprintOf } from './account';

export { createPool } from './pool';
export type { PoolDeps, PoolLogger, PoolObservation, RotationReason } from './observations';
export type { AccountInput, DispatchRequest, DispatchResult, DispatchSuccess, Pool, PoolSnapshot } from './types';
export { fingerprintOf } from './accounts';

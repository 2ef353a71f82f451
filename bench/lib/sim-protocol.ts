import type { RandomFaultOptions, SimulatorStats, StreamOptions } from '../../main/simulator';

/** Messages between the bench and the simulator child (sim-main.ts). */
export type SimRequest =
  | { type: 'stats' }
  | { type: 'take-stamps' }
  | { type: 'reset-stats' }
  | { type: 'stream'; stream: StreamOptions }
  | { type: 'faults'; faults: RandomFaultOptions }
  | { type: 'memory' };

export type SimReply =
  | { type: 'ready'; url: string }
  | { type: 'ok' }
  | { type: 'stats'; stats: SimulatorStats }
  /** Completion id → hrtime of each content chunk written (nanoseconds). */
  | { type: 'stamps'; stamps: Record<string, bigint[]> }
  | { type: 'memory'; rss: number };

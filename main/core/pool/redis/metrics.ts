import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Store latency, errors and whether Redis is reachable, in the registry given (the proxy's /metrics). */
export interface StoreMetrics {
  time<T>(op: string, run: () => Promise<T>): Promise<T>;
  online(value: boolean): void;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export function storeMetrics(registry: Registry | null): StoreMetrics {
  const registers = registry ? [registry] : [];
  const latency = new Histogram({ name: 'switchyard_quota_store_seconds', help: 'Time of one shared quota store (Redis) operation, by operation.', labelNames: ['op'] as const, buckets: LATENCY_BUCKETS, registers });
  const errors = new Counter({ name: 'switchyard_quota_store_errors_total', help: 'Shared quota store (Redis) operations that failed (served from local state instead), by operation.', labelNames: ['op'] as const, registers });
  const up = new Gauge({ name: 'switchyard_quota_store_online', help: '1 while the shared quota store (Redis) is reachable, 0 while replicas serve from local state.', registers });
  return {
    async time(op, run) {
      const end = latency.startTimer({ op });
      try {
        return await run();
      } catch (err) {
        errors.inc({ op });
        throw err;
      } finally {
        end();
      }
    },
    online: (value) => up.set(value ? 1 : 0),
  };
}

import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type RedisServer } from '../test-support/redis-server';
import { describeQuotaStoreContract } from './quota-store.contract';
import { RedisQuotaStore } from './redis-quota-store';

let redis: RedisServer;
const stores: RedisQuotaStore[] = [];
let n = 0;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await redis?.close();
});

// Each store its own key prefix: the contract's cases do not see each other's state.
describeQuotaStoreContract('redis', async () => {
  const store = new RedisQuotaStore({ url: redis.url, keyPrefix: `contract${n++}:` });
  stores.push(store);
  if (!(await store.ready())) throw new Error('the test Redis did not answer');
  return store;
});

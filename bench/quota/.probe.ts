import { SimClock } from './sim-clock';
import { runProviderStrategy, providerArrivals } from './run-provider-strategy';
import { routesScenario, ROUTE_STRATEGIES } from './scenario-routes';
const hist = new Map<string, number>();
let last: SimClock | null = null;
const orig = SimClock.prototype.sleep;
SimClock.prototype.sleep = function (ms: number, signal?: AbortSignal) {
  last = this;
  const b = ms <= 0 ? '<=0' : ms < 10 ? '<10' : ms < 1000 ? '<1s' : ms < 60000 ? '<1m' : '>=1m';
  hist.set(b, (hist.get(b) ?? 0) + 1);
  return orig.call(this, ms, signal);
};
setInterval(() => { console.log(JSON.stringify([...hist]), last ? (last.now() - last.start) / 1000 : 0, last?.fired); }, 4000).unref();
const s = { ...routesScenario(), durationSeconds: 43200 };
const r = await runProviderStrategy(s, providerArrivals(s), ROUTE_STRATEGIES[1]!);
console.log(r.served);

import type { ProviderScenarioResult } from './provider-report';
import type { ProviderScenario } from './provider-scenario';
import type { ProviderStrategyDef } from './provider-strategies';
import { providerArrivals, runProviderStrategy } from './run-provider-strategy';
import { MIXED_STRATEGIES, mixedProvidersScenario } from './scenario-mixed-providers';
import { ROUTE_STRATEGIES, routesScenario } from './scenario-routes';

/** The provider scenarios (issues 11 and 12) with their strategies; `only` filters by name. */
export async function runProviderScenarios(only?: string): Promise<ProviderScenarioResult[]> {
  const plan: Array<[ProviderScenario, ProviderStrategyDef[]]> = [
    [mixedProvidersScenario(), MIXED_STRATEGIES],
    [routesScenario(), ROUTE_STRATEGIES],
  ];
  const out: ProviderScenarioResult[] = [];
  for (const [scenario, strategies] of plan.filter(([s]) => !only || s.name.includes(only))) {
    const list = providerArrivals(scenario);
    const result: ProviderScenarioResult = {
      scenario: scenario.name,
      accounts: scenario.accounts.map((a) => ({ id: a.id, provider: a.provider, owner: a.owner })),
      demands: scenario.demands.map((d) => ({ name: d.name, perDay: d.perDay, targets: d.targets.map((t) => `${t.provider}/${t.model}`) })),
      offered: list.length,
      capacity: 0,
      strategies: [],
    };
    for (const def of strategies) {
      const r = await runProviderStrategy(scenario, list, def);
      result.capacity = r.capacity;
      result.strategies.push(r);
      process.stderr.write(`  ${scenario.name} / ${def.id}: ${r.runtimeMs} ms wall${r.stalled ? ' (stalled: wall budget reached)' : ''}\n`);
    }
    out.push(result);
  }
  return out;
}

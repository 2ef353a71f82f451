import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flatBlock } from './quota/baselines/flat-block';
import { ideal } from './quota/baselines/ideal';
import { liteLlm } from './quota/baselines/litellm';
import { oldSystem } from './quota/baselines/old-system';
import { engine, engineWith } from './quota/engine';
import { LEGEND, PROVIDER_LEGEND, renderMarkdown, renderProviderTable, renderTable, renderTargets, type ProviderScenarioResult, type ScenarioResult } from './quota/report';
import { runProviderScenarios } from './quota/run-provider-scenarios';
import { runStrategy } from './quota/run-strategy';
import { replicaStrategies } from './quota/scenario-replicas';
import { dayCap, defaultScenarios } from './quota/scenarios';
import type { StrategyDef } from './quota/strategy';
import { arrivals } from './quota/workload';

/**
 * npm run bench:quota — a day of demand on a virtual clock against the simulator's quota model:
 * the real engine and three baselines (plus the ideal scheduler for reference), per scenario.
 * Prints a table and the engine's targets, and writes bench/results/quota-<timestamp>.json.
 * Options: `--markdown` also prints the table as Markdown; `--only <text>` runs the scenarios whose
 * name contains the text; `--all-choices` also runs the engine with round-robin and most-quota;
 * `--providers-only` runs only the provider scenarios (mixed-provider day, routes); `--strategy <text>`
 * runs only the strategies whose id contains the text (`--strategy 3-replicas`: the three-replica
 * run alone), and no provider scenarios.
 */

const BASELINES: StrategyDef[] = [oldSystem, flatBlock, liteLlm, ideal];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const scenarios = args.includes('--providers-only') ? [] : defaultScenarios().filter((s) => !only || s.name.includes(only));
  const engines = args.includes('--all-choices') ? [engine, engineWith('round-robin'), engineWith('most-quota')] : [engine];
  const pick = args.includes('--strategy') ? args[args.indexOf('--strategy') + 1] : undefined;
  const strategies = [...engines, ...replicaStrategies(), ...BASELINES].filter((s) => !pick || s.id.includes(pick));
  const results: ScenarioResult[] = [];
  const started = performance.now();

  for (const scenario of scenarios) {
    const list = arrivals(scenario);
    const result: ScenarioResult = {
      scenario: scenario.name,
      accounts: scenario.accounts.map((a) => ({ key: a.key, login: a.login, plan: a.plan })),
      models: scenario.models.map((m) => `${m.model.id} (${m.model.rate_limit_tier ?? '?'}, cap ${dayCap(m.model, scenario.accounts)}/day)`),
      demandFactor: scenario.demandFactor,
      offered: list.length,
      capacity: 0,
      strategies: [],
    };
    for (const def of strategies) {
      const r = await runStrategy(scenario, list, def);
      result.capacity = r.capacity;
      result.strategies.push(r);
      process.stderr.write(`  ${scenario.name} / ${def.id}: ${r.runtimeMs} ms wall, ${r.timersFired} timers\n`);
    }
    results.push(result);
  }

  const providerResults: ProviderScenarioResult[] = pick ? [] : await runProviderScenarios(only);

  if (results.length > 0) {
    console.log(renderTable(results));
    console.log(renderTargets(results, (r) => r.strategy.startsWith('switchyard')));
    console.log(LEGEND);
  }
  if (providerResults.length > 0) console.log(`${renderProviderTable(providerResults)}\n${PROVIDER_LEGEND}`);
  if (args.includes('--markdown')) console.log(`\n${renderMarkdown(results)}`);

  const here = dirname(fileURLToPath(import.meta.url));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(here, 'results', `quota-${stamp}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ generatedAt: new Date().toISOString(), wallMs: Math.round(performance.now() - started), results, providerResults }, null, 2)}\n`);
  console.log(`\nWrote ${file} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

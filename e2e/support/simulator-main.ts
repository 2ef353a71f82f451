// Runs the GitHub Models simulator in its own process (started by simulator.ts through tsx, which
// resolves the engine's TypeScript and JSON imports the way the build does). Prints its URL, then
// serves until it gets SIGTERM.
import { startSimulator } from '../../main/simulator';
import { E2E_LIMITS, E2E_USERS } from './e2e-users';

const simulator = await startSimulator({
  users: Object.values(E2E_USERS).map((u) => ({ ...u, plan: 'free' as const })),
  limits: { ...E2E_LIMITS },
  rateLimitVariant: 'full',
});
process.stdout.write(`SIMULATOR_URL=${simulator.url}\n`);
const stop = () => void simulator.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

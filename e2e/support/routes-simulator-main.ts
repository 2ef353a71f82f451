// The simulator for the routes spec (started by simulator.ts through tsx): one Groq organisation
// allowed one request a minute and one Cerebras organisation, so the second request of the
// built-in route llama-3.3-70b falls back from Groq to Cerebras. Prints its URL, then serves
// until it gets SIGTERM.
import { startSimulator } from '../../main/simulator';
import { ROUTES_KEYS } from './routes-keys';

const simulator = await startSimulator({
  users: [],
  keys: [
    { provider: 'groq', key: ROUTES_KEYS.GROQ_API_KEY, owner: 'org_e2e_groq' },
    { provider: 'cerebras', key: ROUTES_KEYS.CEREBRAS_API_KEY, owner: 'org_e2e_cerebras' },
  ],
  providers: { groq: { limits: { rpm: 1 } }, cerebras: { limits: { rpm: 20 } } },
});
process.stdout.write(`SIMULATOR_URL=${simulator.url}\n`);
const stop = () => void simulator.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

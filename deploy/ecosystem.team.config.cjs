// PM2 example: a team server — two Switchyard replicas sharing quota state through one Redis,
// behind a reverse proxy (deploy/nginx-team.conf). See the README, "Team server".
//
//   npm ci && npm run build                                  # once per deploy
//   export SWITCHYARD_REDIS_URL=redis://127.0.0.1:6379/0     # or rediss://user:password@host:6380/0
//   export SWITCHYARD_API_KEY=$(openssl rand -hex 24)        # clients send "Authorization: Bearer <key>"
//   export GROQ_API_KEY=… GEMINI_API_KEY=… GROQ_API_KEY2=…   # each replica gets its accounts from here
//   pm2 start deploy/ecosystem.team.config.cjs && pm2 save
//   pm2 reload switchyard-a && pm2 reload switchyard-b       # one at a time: no downtime
//
// Tokens, the client key and the Redis URL are passed through from the shell that runs
// `pm2 start`; none is written into this file, and no token is ever written to Redis.
const path = require('node:path');

// Every provider's account variables (PREFIX, PREFIX2, … and their same-suffix extras), base URLs,
// the client key and the Redis settings (DESIGN.md, "Accounts from the environment").
const ACCOUNT = /^(GITHUB_TOKEN|GROQ_API_KEY|GEMINI_API_KEY|CEREBRAS_API_KEY|OPENROUTER_API_KEY|MISTRAL_API_KEY|CLOUDFLARE_API_TOKEN|CLOUDFLARE_ACCOUNT_ID|OPENAI_API_KEY|AZURE_OPENAI_API_KEY|AZURE_OPENAI_ENDPOINT|NVIDIA_API_KEY|OPENAI_COMPATIBLE_API_KEY|OPENAI_COMPATIBLE_BASE_URL)\d*$/;
const passed = Object.fromEntries(
  Object.entries(process.env).filter(([name, value]) => value && (ACCOUNT.test(name) || /^[A-Z_]+_BASE_URL$/.test(name) || /^SWITCHYARD_(API_KEY|REDIS_[A-Z_]+)$/.test(name))),
);

const replica = (name, port) => ({
  name,
  cwd: path.join(__dirname, '..'),
  script: 'bin/switchyard.mjs',
  args: 'serve --json-logs',
  interpreter: 'node',
  exec_mode: 'fork',
  instances: 1, // one process per data folder; replicas share quota state through Redis, not files
  autorestart: true,
  restart_delay: 2000,
  max_restarts: 20,
  max_memory_restart: '400M',
  kill_timeout: 15000, // Switchyard drains in-flight requests for up to 10 s
  merge_logs: true,
  time: false,
  env: {
    NODE_ENV: 'production',
    SWITCHYARD_NO_BUILD: '1',
    HOST: '127.0.0.1', // the reverse proxy on this machine is the only way in
    PORT: String(port),
    SWITCHYARD_DATA_DIR: path.join(process.env.HOME || '/var/lib', '.switchyard', name), // its own folder per replica
    SWITCHYARD_REDIS_PREFIX: 'switchyard:', // the same for every replica of one team
    ENABLE_MODEL_THROTTLING: '1',
    MODEL_MIN_INTERVAL_MS: '2000',
    ...passed,
  },
});

if (!process.env.SWITCHYARD_REDIS_URL) console.warn('SWITCHYARD_REDIS_URL is not set: each replica would keep its own quota state.');
if (!process.env.SWITCHYARD_API_KEY) console.warn('SWITCHYARD_API_KEY is not set: the reverse proxy would let anyone use the accounts.');

module.exports = { apps: [replica('switchyard-a', 4001), replica('switchyard-b', 4002)] };

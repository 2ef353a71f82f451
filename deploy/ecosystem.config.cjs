// PM2 example: Switchyard headless, as the original openai-proxy ran.
//
//   npm ci && npm run build                      # once per deploy (the app does not build under PM2)
//   pm2 start deploy/ecosystem.config.cjs && pm2 save
//   pm2 logs switchyard                          # JSON lines; grep a run by its "startId", a kind by "tag"
//   npm run cli -- status | watch | reset --all  # the old token-status.sh / token-emergency.sh
//
// Accounts: add them in the dashboard (kept in the data folder, file mode 0600), or export
// GITHUB_TOKEN, GITHUB_TOKEN2, … in the shell that runs `pm2 start`: they are passed through below,
// so no token is ever written into this file.
// Logs: every start writes one line with "tag":"restart" and every line carries that run's
// "startId", so yesterday's 429s in PM2's never-cleared log files cannot pass for today's.
const path = require('node:path');

const tokens = Object.fromEntries(Object.entries(process.env).filter(([name, value]) => /^GITHUB_TOKEN\d*$/.test(name) && value));

module.exports = {
  apps: [
    {
      name: 'switchyard',
      cwd: path.join(__dirname, '..'),
      script: 'bin/switchyard.mjs',
      args: 'serve --json-logs',
      interpreter: 'node',
      exec_mode: 'fork',
      instances: 1, // one process per data folder (its state, settings and admin key live there)
      autorestart: true,
      restart_delay: 2000,
      max_restarts: 20,
      max_memory_restart: '400M',
      // PM2 stops with SIGINT; Switchyard drains in-flight requests for up to 10 s, then saves state.
      kill_timeout: 15000,
      merge_logs: true,
      time: false, // each line already has an ISO "time"
      env: {
        NODE_ENV: 'production',
        SWITCHYARD_NO_BUILD: '1',
        HOST: '127.0.0.1', // this machine only; see the README before widening it
        PORT: '4000',
        // SWITCHYARD_DATA_DIR: '/var/lib/switchyard',   // default: ~/.config/switchyard
        // SWITCHYARD_API_KEY: set it to require "Authorization: Bearer <key>" on /v1
        ENABLE_MODEL_THROTTLING: '1',
        MODEL_MIN_INTERVAL_MS: '2000',
        ...tokens,
      },
    },
  ],
};

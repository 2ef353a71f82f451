#!/usr/bin/env node
// Runs a TypeScript file from a checkout with the installed tsx: `node bin/run-ts.mjs <file.ts> [args…]`
// is `node --import tsx <file.ts> [args…]`, with tsx resolved from this checkout (so it works from any
// working directory). Node flags may come before the file: `node bin/run-ts.mjs --cpu-prof bench/x.ts`.
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const fileAt = args.findIndex((a) => !a.startsWith('-'));
if (fileAt < 0) {
  process.stderr.write('Usage: node bin/run-ts.mjs [node flags] <file.ts> [args…]\n');
  process.exit(2);
}
const tsx = import.meta.resolve('tsx');
const child = spawn(process.execPath, [...args.slice(0, fileAt), '--import', tsx, ...args.slice(fileAt)], { stdio: 'inherit' });
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP'];
for (const signal of forwarded) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (!signal) process.exit(code ?? 1);
  for (const s of forwarded) process.removeAllListeners(s);
  process.kill(process.pid, signal);
});

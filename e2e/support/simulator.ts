import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths';
import { stopChild } from './stop-child';

export { E2E_LIMITS, E2E_USERS } from './e2e-users';

export interface SimulatorProcess {
  url: string;
  close(): Promise<void>;
}

/** Starts the project's simulator (main/simulator) with the e2e users, in a child process; `script`: another main in e2e/support. */
export async function startE2eSimulator(script = 'simulator-main.ts'): Promise<SimulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'e2e', 'support', script)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`the simulator did not start in 30 s\n${output}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      const match = /^SIMULATOR_URL=(\S+)$/m.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited with code ${code}\n${output}`));
    });
  });
  return { url, close: () => stopChild(child, 5_000) };
}

import { test } from '@playwright/test';
import { startServe, type ServeProcess } from './serve';
import { startE2eSimulator, type SimulatorProcess } from './simulator';

/**
 * For the calling spec file: before its tests, a fresh simulator and `switchyard serve` against it;
 * after them, both stopped. Read `.server` inside tests (it is set once beforeAll has run).
 */
export interface ServeOptions {
  /** Another simulator main in e2e/support (default simulator-main.ts, GitHub Models' e2e users). */
  simulatorScript?: string;
  /** More environment for serve, given the simulator's URL (e.g. provider keys and base URLs). */
  env?: (simulatorUrl: string) => Record<string, string>;
}

export function serveAgainstSimulator(options: ServeOptions = {}): { readonly server: ServeProcess } {
  let simulator: SimulatorProcess | undefined;
  let server: ServeProcess | undefined;

  test.beforeAll(async () => {
    simulator = await startE2eSimulator(options.simulatorScript);
    server = await startServe(simulator.url, options.env?.(simulator.url));
  });

  test.afterAll(async () => {
    await server?.stop();
    await simulator?.close();
  });

  return {
    get server(): ServeProcess {
      if (!server) throw new Error('The server is not running: read .server inside a test, after beforeAll.');
      return server;
    },
  };
}

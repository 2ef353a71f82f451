import { test } from '@playwright/test';
import { startServe, type ServeProcess } from './serve';
import { startE2eSimulator, type SimulatorProcess } from './simulator';

/**
 * For the calling spec file: before its tests, a fresh simulator and `switchyard serve` against it;
 * after them, both stopped. Read `.server` inside tests (it is set once beforeAll has run).
 */
export function serveAgainstSimulator(): { readonly server: ServeProcess } {
  let simulator: SimulatorProcess | undefined;
  let server: ServeProcess | undefined;

  test.beforeAll(async () => {
    simulator = await startE2eSimulator();
    server = await startServe(simulator.url);
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

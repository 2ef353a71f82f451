import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent as FullAgent } from 'undici';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM helper of the build (no types); checked here against undici itself
import { Agent } from './undici-agent.mjs';

const SHIM = join(import.meta.dirname, 'undici-agent.mjs');

describe('scripts/undici-agent.mjs (what the bundle gives main/core/upstream instead of undici’s index)', () => {
  it('is the very class undici exports, so the build changes what loads, not what runs', () => {
    expect(Agent).toBe(FullAgent);
  });

  it('alone, in a fresh node, serves agent.request without loading undici’s index', async () => {
    const server = createServer((req, res) => res.end(`${req.method} ${req.url}`));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const script = `
        import { createRequire } from 'node:module';
        import { Agent } from ${JSON.stringify(SHIM)};
        const agent = new Agent();
        const res = await agent.request({ origin: 'http://127.0.0.1:${port}', path: '/v1/models', method: 'GET' });
        const text = await res.body.text();
        await agent.close();
        const loaded = Object.keys(createRequire(import.meta.url).cache).some((f) => f.endsWith('/undici/index.js'));
        process.stdout.write(JSON.stringify({ status: res.statusCode, text, indexLoaded: loaded }));`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..') });
      expect(JSON.parse(stdout)).toEqual({ status: 200, text: 'GET /v1/models', indexLoaded: false });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

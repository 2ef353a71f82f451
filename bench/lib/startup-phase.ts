import { fmtMb, fmtMs, renderGrid } from './report';
import { startServer, type BenchRig } from './bench-setup';
import { libraryShares } from './library-rss';

/**
 * `npm run bench -- --startup-only`: start → first /health 200 of `switchyard serve` (as a child,
 * bin/switchyard.mjs → dist/cli.js) `runs` times, its RSS 1 s after each start (idle, no request
 * but /health served) and 1 s after one proxied chat request (what the first request loads, e.g.
 * prom-client), then optionally each library's RSS share. The first run creates the data folder;
 * the others find it.
 */
export interface StartupResult {
  startupMs: number[];
  bannerMs: number[];
  idleRss: number[];
  /** RSS 1 s after one proxied chat completion (200). */
  afterOneRequestRss: number[];
  libraries: ReturnType<typeof libraryShares> | null;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN;

export async function startupPhase(rig: BenchRig, options: { runs: number; libraries: boolean; log: (line: string) => void }): Promise<StartupResult> {
  const result: StartupResult = { startupMs: [], bannerMs: [], idleRss: [], afterOneRequestRss: [], libraries: null };
  for (let i = 0; i < options.runs; i++) {
    const { server, proxy } = await startServer(rig);
    result.startupMs.push(server.startupMs);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    result.bannerMs.push(server.bannerMs ?? Number.NaN);
    result.idleRss.push(await server.rss());
    const answer = await proxy.pool.request({ method: 'POST', path: proxy.path, headers: proxy.headers, body: rig.chatBody(false) });
    await answer.body.dump();
    if (answer.statusCode !== 200) throw new Error(`the first chat request got ${answer.statusCode}:\n${server.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    result.afterOneRequestRss.push(await server.rss());
    options.log(`start-up ${i + 1}: ${server.startupMs.toFixed(1)} ms to /health (banner ${server.bannerMs === null ? 'not printed yet' : `at ${server.bannerMs.toFixed(1)} ms`}), idle RSS ${fmtMb(result.idleRss[i] ?? Number.NaN)}, after one request ${fmtMb(result.afterOneRequestRss[i] ?? Number.NaN)}`);
    await proxy.pool.close();
    await server.stop();
  }
  if (options.libraries) {
    options.log("each library's RSS share (a fresh node per library)");
    result.libraries = libraryShares();
  }
  return result;
}

export function describeStartup(r: StartupResult): string[] {
  const lines = [
    `start → /health 200: median ${fmtMs(median(r.startupMs))} (${r.startupMs.map((v) => v.toFixed(0)).join(', ')}); banner median ${fmtMs(median(r.bannerMs))}; target ≤ 400 ms`,
    `idle RSS 1 s after start: median ${fmtMb(median(r.idleRss))} (${r.idleRss.map((v) => fmtMb(v)).join(', ')}); target ≤ 70 MB`,
    `RSS 1 s after one chat request: median ${fmtMb(median(r.afterOneRequestRss))} (${r.afterOneRequestRss.map((v) => fmtMb(v)).join(', ')})`,
  ];
  if (r.libraries) {
    lines.push(`RSS by library, each imported alone into a fresh node (bare node ${fmtMb(r.libraries.bareNode)}; shares overlap; dist/cli.js and the serve chunk imported, not run: +${fmtMb(r.libraries.bundle)}):`);
    lines.push(renderGrid(['library', 'RSS above bare node', 'loaded by serve'], r.libraries.libraries.map((l) => [l.name, `+${fmtMb(l.bytes)}`, l.loaded])));
  }
  return lines;
}

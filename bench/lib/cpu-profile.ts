import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Summaries of a V8 .cpuprofile (node --cpu-prof): top self-time frames, and self time per package. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds of V8's monotonic clock: CLOCK_MONOTONIC on Linux, as process.hrtime.bigint() / 1000n. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface FrameCost {
  frame: string;
  selfMs: number;
  /** Share of the busy (non-idle) time, percent. */
  percent: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  busyMs: number;
  topFrames: FrameCost[];
  byPackage: FrameCost[];
}

/** Where a frame's code lives: a package, node itself, Switchyard's bundle, or a V8 pseudo-frame. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (core)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.includes('/dist/cli.js') || url.includes('/main/')) return 'switchyard';
  return url.split('/').pop() ?? url;
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  const short = url.replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*\/(dist|main)\//, '$1/');
  return `${name} ${short}:${lineNumber + 1}`;
}

/** Samples between `window.fromUs` and `window.toUs` (monotonic µs) only, when given: the load, not the start-up. */
export interface Window {
  fromUs: number;
  toUs: number;
}

export function summarizeProfile(profile: CpuProfile, file: string, window: Window | null = null, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  // timeDeltas[i] is the gap before sample i, so sample i lasted timeDeltas[i + 1].
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
  });
  const frames = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    totalUs += us;
    if (node.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = frameName(node);
    frames.set(name, (frames.get(name) ?? 0) + us);
    const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const rank = (m: Map<string, number>, n: number): FrameCost[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([frame, us]) => ({ frame, selfMs: Math.round(us / 100) / 10, percent: busyUs ? Math.round((us / busyUs) * 1000) / 10 : 0 }));
  return { file, totalMs: Math.round(totalUs / 1000), idleMs: Math.round(idleUs / 1000), busyMs: Math.round(busyUs / 1000), topFrames: rank(frames, top), byPackage: rank(packages, 12) };
}

/** The profile a `--cpu-prof --cpu-prof-dir dir` process left in `dir` (the newest). */
export async function readProfileFrom(dir: string, window: Window | null = null, top = 15): Promise<ProfileSummary | null> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  const file = files.at(-1);
  if (!file) return null;
  const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as CpuProfile;
  return summarizeProfile(profile, join(dir, file), window, top);
}

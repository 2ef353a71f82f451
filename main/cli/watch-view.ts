import type { EngineEvent } from '../../shared/events';
import type { RouteTargetView } from '../../shared/routes';
import type { Snapshot } from '../../shared/snapshot';
import { renderStatus, type ViewOptions } from './status-view';
import { describeEvent } from '../../shared/words/event-words';
import { formatClock } from '../../shared/words/time-words';

export interface FrameState {
  url: string;
  snapshot: Snapshot | null;
  events: EngineEvent[];
  /** Shown above the table while the connection is down. */
  problem: string | null;
}

const STATE_WORDS: Record<RouteTargetView['state'], string> = { ready: 'ready', limited: 'limited', unavailable: 'unavailable', dropped: 'not used' };

/** One target as the watch view says it: `cerebras/llama-3.3-70b ready 3 served (2 after a fallback), latest`. */
function targetWords(target: RouteTargetView, options: ViewOptions): string {
  const until = target.state === 'limited' && target.until !== null ? ` until ${formatClock(target.until, options.now, { timeZone: options.timeZone })}` : '';
  const after = target.fallbacks > 0 ? ` (${target.fallbacks} after a fallback)` : '';
  return `${target.target} ${STATE_WORDS[target.state]}${until}, ${target.served} served${after}${target.lastServed ? ', latest' : ''}`;
}

/** Routes that have carried traffic since start, each target with its state and where requests went. */
export function renderRoutes(snapshot: Snapshot, options: ViewOptions): string {
  const used = snapshot.routes.filter((route) => route.targets.some((t) => t.served > 0));
  if (used.length === 0) return '';
  let text = '\nRoutes\n';
  for (const route of used) {
    text += `  ${route.name}: ${route.targets.filter((t) => t.state !== 'dropped').map((t) => targetWords(t, options)).join(' · ')}\n`;
  }
  return text;
}

/** What `switchyard watch` draws: a title line, the status table, the routes that carried traffic, the latest events. */
export function renderFrame(state: FrameState, options: ViewOptions): string {
  const lines = [`switchyard watch · ${state.url} · ${formatClock(options.now, options.now, { timeZone: options.timeZone })} · q or Ctrl-C quits`];
  if (state.problem) lines.push(`!! ${state.problem}`);
  lines.push('');
  let text = `${lines.join('\n')}\n`;
  if (state.snapshot) text += renderStatus(state.snapshot, options) + renderRoutes(state.snapshot, options);
  if (state.events.length) {
    const current = state.snapshot?.startId;
    text += '\nRecent events\n';
    for (const event of state.events) {
      const earlier = current && event.startId !== current ? ' (earlier run)' : '';
      // Heard from another replica sharing Redis (a team server): say which.
      const replica = event.origin ? ` · on replica ${event.origin.replica}` : '';
      text += `  ${formatClock(event.ts, options.now, { timeZone: options.timeZone })}  ${describeEvent(event, { now: options.now, timeZone: options.timeZone })}${replica}${earlier}\n`;
    }
  }
  return text;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/y;
const ANSI_ALL = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** One line cut to `columns` visible characters (colour codes kept, never counted), "…" marking the cut. */
export function truncateLine(line: string, columns: number): string {
  if ([...line.replace(ANSI_ALL, '')].length <= columns) return line;
  let out = '';
  let shown = 0;
  let colored = false;
  for (let i = 0; i < line.length; ) {
    ANSI.lastIndex = i;
    const code = ANSI.exec(line);
    if (code) {
      out += code[0];
      colored = code[0] !== '\x1b[0m';
      i += code[0].length;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    if (shown === columns - 1) break;
    out += ch;
    shown += 1;
    i += ch.length;
  }
  return `${out}…${colored ? '\x1b[0m' : ''}`;
}

/**
 * A frame that fits the terminal: every line cut to its width (a wrapped line would push the
 * header off the top), and no more lines than it has rows, the header first.
 */
export function fitFrame(frame: string, size: { columns?: number; rows?: number }): string {
  let lines = frame.split('\n');
  if (lines.at(-1) === '') lines = lines.slice(0, -1);
  if (size.rows && size.rows > 0 && lines.length > size.rows) lines = lines.slice(0, size.rows);
  const columns = size.columns;
  if (columns && columns > 1) lines = lines.map((line) => truncateLine(line, columns));
  return `${lines.join('\n')}\n`;
}

import type { EngineEvent } from '../../shared/events';
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

/** What `switchyard watch` draws: a title line, the status table, the latest events. */
export function renderFrame(state: FrameState, options: ViewOptions): string {
  const lines = [`switchyard watch · ${state.url} · ${formatClock(options.now, options.now, { timeZone: options.timeZone })} · q or Ctrl-C quits`];
  if (state.problem) lines.push(`!! ${state.problem}`);
  lines.push('');
  let text = `${lines.join('\n')}\n`;
  if (state.snapshot) text += renderStatus(state.snapshot, options);
  if (state.events.length) {
    const current = state.snapshot?.startId;
    text += '\nRecent events\n';
    for (const event of state.events) {
      const earlier = current && event.startId !== current ? ' (earlier run)' : '';
      text += `  ${formatClock(event.ts, options.now, { timeZone: options.timeZone })}  ${describeEvent(event, { now: options.now, timeZone: options.timeZone })}${earlier}\n`;
    }
  }
  return text;
}

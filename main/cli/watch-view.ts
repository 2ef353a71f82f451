import type { EngineEvent } from '../../shared/events';
import type { Snapshot } from '../../shared/snapshot';
import { renderStatus, type ViewOptions } from './status-view';
import { formatClock } from './time-words';

/** One line per event, in the words of the old logs ("rotated GITHUB_TOKEN → GITHUB_TOKEN2 …"). */
export function describeEvent(event: EngineEvent, options: ViewOptions): string {
  const at = (ms: number) => formatClock(ms, options.now, options.timeZone);
  switch (event.kind) {
    case 'started':
      return `Switchyard ${event.version} started on ${event.host}:${event.port} with ${event.accounts} account(s)`;
    case 'stopped':
      return 'Switchyard stopped';
    case 'proxy-started':
      return `proxy started on ${event.host}:${event.port}`;
    case 'proxy-stopped':
      return `proxy stopped${event.reason ? ` (${event.reason})` : ''}`;
    case 'rotated':
      return `rotated ${event.from} → ${event.to} for ${event.model} (${event.reason}${event.resetsAt ? `; ${event.from} back at ${at(event.resetsAt)}` : ''})`;
    case 'cooldown-started':
      return `429 ${event.limitType}: ${event.account} blocked for ${event.model ?? 'all models'} until ${at(event.until)}`;
    case 'cooldown-ended':
      return `${event.account} usable again for ${event.model ?? 'all models'}`;
    case 'account-invalid':
      return `${event.account} is invalid: ${event.reason}`;
    case 'model-forbidden':
      return `${event.account} may not use ${event.model} (403)`;
    case 'model-exhausted':
      return `no account can serve ${event.model}${event.until ? ` until ${at(event.until)}` : ''}`;
    case 'recovered':
      return `${event.account} recovered${event.model ? ` for ${event.model}` : ''}`;
    case 'circuit-opened':
      return `${event.account} paused after repeated failures until ${at(event.until)}`;
    case 'manual-reset':
      return `manual reset of ${event.model ?? 'every model'} on ${event.account ?? 'every account'}`;
    case 'account-added':
      return `account ${event.account} added${event.login ? ` (@${event.login})` : ''}`;
    case 'account-removed':
      return `account ${event.account} removed`;
    case 'provider-retired':
      return event.message;
    case 'duplicate-login':
      return `${event.accounts.join(' and ')} belong to the same GitHub user @${event.login}: one quota`;
  }
}

export interface FrameState {
  url: string;
  snapshot: Snapshot | null;
  events: EngineEvent[];
  /** Shown above the table while the connection is down. */
  problem: string | null;
}

/** What `switchyard watch` draws: a title line, the status table, the latest events. */
export function renderFrame(state: FrameState, options: ViewOptions): string {
  const lines = [`switchyard watch · ${state.url} · ${formatClock(options.now, options.now, options.timeZone)} · q or Ctrl-C quits`];
  if (state.problem) lines.push(`!! ${state.problem}`);
  lines.push('');
  let text = `${lines.join('\n')}\n`;
  if (state.snapshot) text += renderStatus(state.snapshot, options);
  if (state.events.length) {
    const current = state.snapshot?.startId;
    text += '\nRecent events\n';
    for (const event of state.events) {
      const earlier = current && event.startId !== current ? ' (earlier run)' : '';
      text += `  ${formatClock(event.ts, options.now, options.timeZone)}  ${describeEvent(event, options)}${earlier}\n`;
    }
  }
  return text;
}

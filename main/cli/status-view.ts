import type { AccountView, Snapshot } from '../../shared/snapshot';
import { formatAgo, formatClock, formatUntil } from '../../shared/words/time-words';

export interface ViewOptions {
  now: number;
  /** ANSI colours for states (terminals only). */
  color?: boolean;
  /** For tests; default: local time. */
  timeZone?: string;
}

const COLORS: Record<string, string> = { ok: '32', cooling: '33', 'circuit-open': '33', checking: '36', invalid: '31', retired: '35', warning: '35', disabled: '90', running: '32', stopped: '33', starting: '36', error: '31' };
const paint = (text: string, state: string, on: boolean | undefined) => (on && COLORS[state] ? `\x1b[${COLORS[state]}m${text}\x1b[0m` : text);

/** Column text padded to `width` by its visible length (colour codes do not count). */
function pad(text: string, width: number): string {
  const visible = text.replace(/\x1b\[[0-9;]*m/g, '').length;
  return text + ' '.repeat(Math.max(0, width - visible));
}

interface Row {
  account: string;
  login: string;
  token: string;
  state: string;
  stateKey: string;
  fails: string;
  blocks: string[];
}

function blockLines(account: AccountView, options: ViewOptions): string[] {
  const lines: string[] = [];
  if (account.userBlock) lines.push(`all models ${formatUntil(account.userBlock.until, options.now, options.timeZone)} · ${account.userBlock.limitType}`);
  for (const block of account.blocks) {
    if (block.reason === 'forbidden') lines.push(`${block.model} forbidden for this account (until reset by hand)`);
    else if (block.until !== null && block.until > options.now) lines.push(`${block.model} ${formatUntil(block.until, options.now, options.timeZone)} · ${block.limitType ?? 'limit'}`);
  }
  if (lines.length === 0 && account.statusReason && account.status !== 'ok') lines.push(account.statusReason);
  return lines.length ? lines : ['—'];
}

function rowOf(account: AccountView, options: ViewOptions): Row {
  return {
    account: `${account.key}${account.isCurrent ? ' *' : ''}`,
    login: account.login ? `@${account.login}` : '—',
    token: account.masked,
    state: account.status,
    stateKey: account.status,
    fails: String(account.failures),
    blocks: blockLines(account, options),
  };
}

/** The table `switchyard status` prints and `switchyard watch` redraws: one view of the snapshot. */
export function renderStatus(snapshot: Snapshot, options: ViewOptions): string {
  const { proxy } = snapshot;
  const lines: string[] = [];
  const where = proxy.status === 'running' ? `running at ${proxy.baseUrl}` : proxy.status === 'error' ? `error: ${proxy.error ?? 'unknown'}` : `${proxy.status} (${proxy.baseUrl})`;
  lines.push(`Switchyard ${snapshot.version}${snapshot.simulate ? ' (simulated upstream)' : ''} — proxy ${paint(where, proxy.status, options.color)}${proxy.apiKeyRequired ? ' · API key required' : ''}`);
  lines.push(`Started ${formatClock(snapshot.startedAt, options.now, { timeZone: options.timeZone })} (${formatAgo(snapshot.startedAt, options.now)}) · start id ${snapshot.startId} · strategy ${snapshot.strategy} · ${snapshot.traffic.inFlight} in flight · ${snapshot.traffic.queued} queued`);
  for (const warning of snapshot.warnings) lines.push(paint(`Warning: ${warning.message}`, 'warning', options.color));
  lines.push('');
  if (snapshot.accounts.length === 0) {
    lines.push('No accounts yet: set a provider key (GROQ_API_KEY, GEMINI_API_KEY, CEREBRAS_API_KEY, OPENROUTER_API_KEY, …; GROQ_API_KEY2 and so on for more) and restart, list accounts in a config file (--config), or add one in the dashboard.');
    return `${lines.join('\n')}\n`;
  }
  const rows = snapshot.accounts.map((a) => rowOf(a, options));
  const head: Row = { account: 'ACCOUNT', login: 'LOGIN', token: 'TOKEN', state: 'STATE', stateKey: '', fails: 'FAILS', blocks: ['BLOCKED MODELS'] };
  const width = (pick: (r: Row) => string) => Math.max(...[head, ...rows].map((r) => pick(r).length));
  const w = { account: width((r) => r.account), login: width((r) => r.login), token: width((r) => r.token), state: width((r) => r.state), fails: width((r) => r.fails) };
  const indent = w.account + w.login + w.token + w.state + w.fails + 10;
  for (const row of [head, ...rows]) {
    const state = row === head ? row.state : paint(row.state, row.stateKey, options.color);
    lines.push([pad(row.account, w.account), pad(row.login, w.login), pad(row.token, w.token), pad(state, w.state), row.fails.padStart(w.fails), row.blocks[0]].join('  '));
    for (const more of row.blocks.slice(1)) lines.push(`${' '.repeat(indent)}${more}`);
  }
  lines.push('');
  if (snapshot.currentKey) lines.push(`* the account the next request goes to`);
  for (const account of snapshot.accounts) {
    if (account.sharesQuotaWith.length && account.key < account.sharesQuotaWith[0]!) {
      const who = account.provider === 'github' ? `GitHub user${account.login ? ` @${account.login}` : ''}` : `${account.provider} owner${account.login ? ` ${account.login}` : ''}`;
      lines.push(`${[account.key, ...account.sharesQuotaWith].join(' and ')} belong to the same ${who}: they share one quota${account.provider === 'github' ? '' : ', the later ones are spares'}.`);
    }
  }
  for (const model of snapshot.exhaustedModels) {
    lines.push(`No account can serve ${model.model} ${model.until !== null ? formatUntil(model.until, options.now, options.timeZone) : 'until someone resets it (switchyard reset)'}.`);
  }
  return `${lines.join('\n')}\n`;
}

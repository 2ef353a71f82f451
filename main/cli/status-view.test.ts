import { describe, expect, it } from 'vitest';
import { makeAccount, makeSnapshot, rateLimit, RETIRED_WARNING } from '../app/test-support/snapshots';
import { renderStatus } from './status-view';
import { formatAgo, formatClock, formatDuration, formatIn } from '../../shared/words/time-words';
import { renderFrame } from './watch-view';

const NOW = Date.UTC(2025, 5, 10, 12, 0, 0);
const view = { now: NOW, timeZone: 'UTC' };

describe('time words', () => {
  it('says durations at a useful grain, rounding up', () => {
    expect(formatDuration(400)).toBe('1 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(245_000)).toBe('4 min 5 s');
    expect(formatDuration(120_000)).toBe('2 min');
    expect(formatDuration(12 * 60_000 + 1)).toBe('13 min');
    expect(formatDuration(65 * 60_000)).toBe('1 h 5 min');
    expect(formatDuration(3 * 3600_000)).toBe('3 h');
    expect(formatDuration(52 * 3600_000)).toBe('2 d 4 h');
  });

  it('says when, relative and local', () => {
    expect(formatIn(NOW + 3_900_000, NOW)).toBe('in 1 h 5 min');
    expect(formatIn(NOW - 1, NOW)).toBe('now');
    expect(formatAgo(NOW - 7_380_500, NOW)).toBe('2 h 3 min ago');
    expect(formatClock(NOW + 3_900_000, NOW, { timeZone: 'UTC' })).toBe('13:05:00');
    expect(formatClock(NOW + 86_400_000, NOW, { timeZone: 'UTC' })).toBe('2025-06-11 12:00:00');
  });
});

describe('renderStatus', () => {
  const snapshot = makeSnapshot({
    startId: 'a1b2c3d4',
    startedAt: NOW - 3_600_000,
    currentKey: 'GITHUB_TOKEN2',
    accounts: [
      makeAccount({ key: 'GITHUB_TOKEN', login: 'alice', masked: 'gho_…Xq', blocks: [rateLimit('openai/gpt-4o-mini', NOW + 3_900_000), { ...rateLimit('openai/gpt-4o', NOW + 40_000), limitType: 'UserByModelByMinute' }] }),
      makeAccount({ key: 'GITHUB_TOKEN2', login: 'bob', masked: 'gho_…4d', isCurrent: true, failures: 1, status: 'cooling', userBlock: { limitType: 'UserByMinute', until: NOW + 40_000, retryAfterSeconds: 40, source: 'retry-after' } }),
      makeAccount({ key: 'GITHUB_TOKEN3', status: 'invalid', statusReason: 'Bad credentials', failures: 3 }),
    ],
    exhaustedModels: [{ model: 'openai/gpt-4o-mini', until: NOW + 3_900_000 }],
  });
  const text = renderStatus(snapshot, view);
  const lines = text.split('\n');

  it('heads with the proxy state, URL and start id', () => {
    expect(lines[0]).toBe('Switchyard 0.1.0 — proxy running at http://127.0.0.1:4000/v1');
    expect(lines[1]).toContain('Started 11:00:00 (1 h ago) · start id a1b2c3d4');
  });

  it('has one row per account with key, login, masked token, state, failures and blocks with reset times', () => {
    const header = lines.findIndex((l) => l.startsWith('ACCOUNT'));
    expect(lines[header]).toMatch(/^ACCOUNT\s+LOGIN\s+TOKEN\s+STATE\s+FAILS\s+BLOCKED MODELS$/);
    expect(lines[header + 1]).toMatch(/^GITHUB_TOKEN\s+@alice\s+gho_…Xq\s+ok\s+0\s+openai\/gpt-4o-mini until 13:05:00 \(in 1 h 5 min\) · UserByModelByDay$/);
    expect(lines[header + 2]).toMatch(/^\s+openai\/gpt-4o until 12:00:40 \(in 40 s\) · UserByModelByMinute$/);
    expect(lines[header + 3]).toMatch(/^GITHUB_TOKEN2 \*\s+@bob\s+gho_…4d\s+cooling\s+1\s+all models until 12:00:40 \(in 40 s\) · UserByMinute$/);
    expect(lines[header + 4]).toMatch(/^GITHUB_TOKEN3\s+—\s+gho_…Xq\s+invalid\s+3\s+Bad credentials$/);
    // the continuation line lines up under the BLOCKED MODELS column
    expect(lines[header + 2]!.indexOf('openai/')).toBe(lines[header]!.indexOf('BLOCKED'));
  });

  it('names the current account and the exhausted models', () => {
    expect(text).toContain('* the account the next request goes to');
    expect(text).toContain('No account can serve openai/gpt-4o-mini until 13:05:00 (in 1 h 5 min).');
  });

  it('leaves out blocks that have already ended and colours only when asked', () => {
    const ended = makeSnapshot({ accounts: [makeAccount({ key: 'A', blocks: [rateLimit('m', NOW - 1)] })] });
    expect(renderStatus(ended, view)).toMatch(/^A\s+—\s+gho_…Xq\s+ok\s+0\s+—$/m);
    expect(renderStatus(ended, view)).not.toContain('\x1b[');
    expect(renderStatus(ended, { ...view, color: true })).toContain('\x1b[32mok\x1b[0m');
  });

  it('says how to add an account when there is none, and shows a stopped proxy', () => {
    const empty = renderStatus(makeSnapshot({}, { status: 'stopped' }), view);
    expect(empty).toContain('proxy stopped (http://127.0.0.1:4000/v1)');
    expect(empty).toContain('No accounts yet: set a provider key (GROQ_API_KEY');
  });

  it('states a retired provider under the heading, and the retired account in its row', () => {
    const retired = makeSnapshot({
      warnings: [RETIRED_WARNING],
      accounts: [makeAccount({ key: 'GITHUB_TOKEN', login: 'al', status: 'retired', statusReason: 'GitHub Models answers 410 Gone' })],
    });
    const out = renderStatus(retired, view).split('\n');
    expect(out[2]).toBe('Warning: GitHub retired GitHub Models on 2026-07-30 — add an account of another provider');
    expect(out.find((l) => l.startsWith('GITHUB_TOKEN'))).toMatch(/^GITHUB_TOKEN\s+@al\s+gho_…Xq\s+retired\s+0\s+GitHub Models answers 410 Gone$/);
    expect(renderStatus(retired, { ...view, color: true })).toContain('\x1b[35mWarning: GitHub retired');
  });

  it('warns when two accounts share one GitHub user', () => {
    const shared = makeSnapshot({ accounts: [makeAccount({ key: 'GITHUB_TOKEN', login: 'al', sharesQuotaWith: ['GITHUB_TOKEN2'] }), makeAccount({ key: 'GITHUB_TOKEN2', login: 'al', sharesQuotaWith: ['GITHUB_TOKEN'] })] });
    const out = renderStatus(shared, view);
    expect(out.match(/share one quota/g)).toHaveLength(1);
    expect(out).toContain('GITHUB_TOKEN and GITHUB_TOKEN2 belong to the same GitHub user @al');
  });
});

describe('the watch frame', () => {
  it('marks events of earlier runs so old 429s are never taken for current ones', () => {
    const frame = renderFrame(
      {
        url: 'http://127.0.0.1:4000',
        snapshot: makeSnapshot({ startId: 'now1' }),
        problem: null,
        events: [
          { id: 1, ts: NOW - 86_400_000, startId: 'old0', kind: 'cooldown-started', account: 'GITHUB_TOKEN', login: null, model: 'openai/gpt-4o-mini', limitType: 'UserByModelByDay', until: NOW - 1000 },
          { id: 2, ts: NOW - 5_000, startId: 'now1', kind: 'rotated', from: 'GITHUB_TOKEN', to: 'GITHUB_TOKEN2', model: 'openai/gpt-4o-mini', reason: 'UserByModelByDay', resetsAt: NOW + 3_600_000 },
        ],
      },
      view,
    );
    expect(frame.split('\n')[0]).toBe('switchyard watch · http://127.0.0.1:4000 · 12:00:00 · q or Ctrl-C quits');
    expect(frame).toMatch(/2025-06-09 12:00:00 {2}GITHUB_TOKEN cooling down for openai\/gpt-4o-mini until 11:59:59 \(UserByModelByDay\) \(earlier run\)/);
    expect(frame).toMatch(/11:59:55 {2}Rotated openai\/gpt-4o-mini from GITHUB_TOKEN to GITHUB_TOKEN2: GITHUB_TOKEN reached its daily limit; it can serve it again at 13:00:00$/m);
  });

  it('shows a connection problem above the table', () => {
    const frame = renderFrame({ url: 'u', snapshot: null, events: [], problem: 'the connection closed' }, view);
    expect(frame).toContain('!! the connection closed');
  });
});

import { describe, expect, it } from 'vitest';
import { makeSnapshot } from '../../shared/test-support/snapshot-fixtures';
import { fitFrame, renderFrame, truncateLine } from './watch-view';

describe('fitting the watch frame to the terminal', () => {
  it('cuts a long line to the width with an ellipsis and leaves short ones alone', () => {
    expect(truncateLine('abcdefghij', 10)).toBe('abcdefghij');
    expect(truncateLine('abcdefghijk', 10)).toBe('abcdefghi…');
    expect(truncateLine('a→b', 3)).toBe('a→b');
  });

  it('never counts colour codes and closes a colour it cut', () => {
    const red = '\x1b[31minvalid\x1b[0m';
    expect(truncateLine(`ab ${red}`, 10)).toBe(`ab ${red}`);
    expect(truncateLine(`ab ${red} and more`, 8)).toBe('ab \x1b[31minva…\x1b[0m');
    expect(truncateLine(`ab ${red} and more`, 13)).toBe(`ab ${red} a…`);
  });

  it('keeps the header: lines beyond the rows go from the bottom', () => {
    const frame = 'header\nrow 1\nrow 2\nrow 3\n';
    expect(fitFrame(frame, { rows: 2 })).toBe('header\nrow 1\n');
    expect(fitFrame(frame, {})).toBe(frame);
    expect(fitFrame('a very long header\nok\n', { columns: 6 })).toBe('a ver…\nok\n');
  });
});

describe('the watch frame', () => {
  const NOW = Date.UTC(2026, 7, 1, 12, 0, 0);
  const target = (id: string, over = {}) => ({ target: id, provider: id.split('/')[0]!, model: id.slice(id.indexOf('/') + 1), state: 'ready' as const, reason: null, until: null, served: 0, fallbacks: 0, lastServed: false, lacks: [], ...over });

  it('prints a fallback event and the routes that carried traffic, each target with its state and counts', () => {
    const snapshot = makeSnapshot({
      routes: [
        {
          name: 'llama-3.3-70b',
          origin: 'family',
          spread: false,
          shadows: null,
          targets: [
            target('groq/llama-3.3-70b-versatile', { state: 'limited', until: NOW + 90_000, served: 2 }),
            target('cerebras/llama-3.3-70b', { served: 3, fallbacks: 3, lastServed: true }),
            target('nvidia/meta/llama-3.3-70b-instruct', { state: 'dropped', reason: 'no nvidia account' }),
          ],
        },
        { name: 'gpt-oss-120b', origin: 'family', spread: false, shadows: null, targets: [target('groq/openai/gpt-oss-120b')] },
      ],
    });
    const event = { id: 7, ts: NOW, startId: snapshot.startId, kind: 'route-fallback' as const, route: 'llama-3.3-70b', from: 'groq/llama-3.3-70b-versatile', to: 'cerebras/llama-3.3-70b', reason: 'rate-limited' as const, resetsAt: NOW + 90_000 };
    const frame = renderFrame({ url: 'http://127.0.0.1:4000', snapshot, events: [event], problem: null }, { now: NOW, timeZone: 'UTC' });
    expect(frame).toContain(
      '\nRoutes\n  llama-3.3-70b: groq/llama-3.3-70b-versatile limited until 12:01:30, 2 served · cerebras/llama-3.3-70b ready, 3 served (3 after a fallback), latest\n',
    );
    expect(frame).not.toContain('gpt-oss-120b');
    expect(frame).toContain('12:00:00  Route llama-3.3-70b fell back from groq/llama-3.3-70b-versatile to cerebras/llama-3.3-70b: groq/llama-3.3-70b-versatile is at its limit; it can serve again at 12:01:30\n');
  });

  it('says which replica an event heard from another replica came from; this replica\'s own say nothing of it', () => {
    const snapshot = makeSnapshot({});
    const own = { id: 1, ts: NOW, startId: snapshot.startId, kind: 'manual-reset' as const, account: 'TEAM_KEY_Z', model: null };
    const heard = { ...own, id: 2, origin: { replica: '3f2a9c1d', id: 40 } };
    const lines = renderFrame({ url: 'http://127.0.0.1:4000', snapshot, events: [own, heard], problem: null }, { now: NOW, timeZone: 'UTC' }).split('\n').filter((l) => l.includes('TEAM_KEY_Z'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain('replica');
    expect(lines[1]).toMatch(/TEAM_KEY_Z.* · on replica 3f2a9c1d$/);
  });
});

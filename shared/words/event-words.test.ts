import { describe, expect, it } from 'vitest';
import type { EngineEvent, EventBody, EventKind } from '../events';
import { describeEvent, REASON_WORDS } from './event-words';

const NOW = Date.UTC(2025, 5, 10, 12, 0, 0);
const ev = (body: EventBody): EngineEvent => ({ id: 1, ts: NOW, startId: 's', ...body }) as EngineEvent;
const say = (body: EventBody) => describeEvent(ev(body), { timeZone: 'UTC' });

describe('event words', () => {
  it('has words for every event kind', () => {
    const words: Record<EventKind, string> = {
      started: say({ kind: 'started', version: '1.2.3', host: '127.0.0.1', port: 4000, accounts: 1 }),
      stopped: say({ kind: 'stopped' }),
      'proxy-started': say({ kind: 'proxy-started', host: '127.0.0.1', port: 31010 }),
      'proxy-stopped': say({ kind: 'proxy-stopped', reason: 'stopped from the tray' }),
      rotated: say({ kind: 'rotated', from: 'A', to: 'B', model: 'gpt-4o', reason: 'UserByModelByDay', resetsAt: NOW + 3_600_000 }),
      'cooldown-started': say({ kind: 'cooldown-started', account: 'A', login: 'al', model: null, limitType: 'UserByMinute', until: NOW + 60_000 }),
      'cooldown-ended': say({ kind: 'cooldown-ended', account: 'A', model: 'gpt-4o' }),
      'account-invalid': say({ kind: 'account-invalid', account: 'A', login: null, reason: 'Bad credentials' }),
      'model-forbidden': say({ kind: 'model-forbidden', account: 'A', model: 'o3' }),
      'model-exhausted': say({ kind: 'model-exhausted', model: 'o3', until: NOW + 86_400_000 }),
      recovered: say({ kind: 'recovered', account: 'A', model: null }),
      'circuit-opened': say({ kind: 'circuit-opened', account: 'A', until: NOW + 30_000 }),
      'manual-reset': say({ kind: 'manual-reset', account: null, model: 'o3' }),
      'account-added': say({ kind: 'account-added', account: 'GROQ_API_KEY', login: null }),
      'account-removed': say({ kind: 'account-removed', account: 'A' }),
      'duplicate-login': say({ kind: 'duplicate-login', login: 'al', accounts: ['A', 'B'] }),
      'provider-retired': say({ kind: 'provider-retired', provider: 'github', message: 'GitHub retired GitHub Models on 2026-07-30 — add an account of another provider', accounts: ['A'] }),
      'route-fallback': say({ kind: 'route-fallback', route: 'llama-3.3-70b', from: 'groq/llama-3.3-70b-versatile', to: 'cerebras/llama-3.3-70b', reason: 'rate-limited', resetsAt: NOW + 90_000 }),
    };
    expect(words).toEqual({
      started: 'Switchyard 1.2.3 started with 1 account, proxy on 127.0.0.1:4000',
      stopped: 'Switchyard stopped',
      'proxy-started': 'Proxy listening on 127.0.0.1:31010',
      'proxy-stopped': 'Proxy stopped: stopped from the tray',
      rotated: 'Rotated gpt-4o from A to B: A reached its daily limit; it can serve it again at 13:00:00',
      'cooldown-started': 'A (al) cooling down for all models until 12:01:00 (UserByMinute)',
      'cooldown-ended': 'A can use gpt-4o again',
      'account-invalid': 'A: token invalid — Bad credentials',
      'model-forbidden': 'A is not allowed to use o3',
      'model-exhausted': 'No account can serve o3 until 2025-06-11 12:00:00',
      recovered: 'A recovered',
      'circuit-opened': 'A paused after repeated failures until 12:00:30',
      'manual-reset': 'Reset by hand: o3 on every account',
      'account-added': 'Added GROQ_API_KEY',
      'account-removed': 'Removed A',
      'duplicate-login': 'A and B are the same user (al): they share one quota',
      'provider-retired': 'GitHub retired GitHub Models on 2026-07-30 — add an account of another provider',
      'route-fallback': 'Route llama-3.3-70b fell back from groq/llama-3.3-70b-versatile to cerebras/llama-3.3-70b: groq/llama-3.3-70b-versatile is at its limit; it can serve again at 12:01:30',
    });
    expect(say({ kind: 'route-fallback', route: 'r', from: 'nvidia/x', to: 'groq/y', reason: 'unavailable', resetsAt: null })).toBe('Route r fell back from nvidia/x to groq/y: nvidia/x cannot serve (no account of it can)');
  });

  it('reads reset times against the given "now" when there is one', () => {
    const body: EventBody = { kind: 'model-exhausted', model: 'o3', until: NOW + 86_400_000 };
    expect(describeEvent(ev(body), { now: NOW + 86_400_000, timeZone: 'UTC' })).toBe('No account can serve o3 until 12:00:00');
  });

  it('says why a rotation happened in words, not codes', () => {
    const rotated = (reason: keyof typeof REASON_WORDS) => say({ kind: 'rotated', from: 'A', to: 'B', model: 'm', reason, resetsAt: null });
    expect(rotated('invalid')).toBe('Rotated m from A to B: A has a token its provider no longer accepts');
    expect(rotated('UserConcurrentRequests')).toBe('Rotated m from A to B: A had too many requests at once');
  });
});

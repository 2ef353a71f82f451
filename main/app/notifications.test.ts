import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/electron-fake';
import { FakeEngine } from './test-support/fake-engine';
import { makeAccount, makeSnapshot } from './test-support/snapshots';
import { setupNotifications } from './notifications';
import { defaultSettings, type Settings } from '../../shared/settings';
import type { EventBody } from '../../shared/events';
import { APP_ID } from './identity';

vi.mock('electron', () => import('./test-support/electron-fake'));

const NOW = Date.UTC(2026, 10, 26, 7, 37, 0);
const AT_1402 = Date.UTC(2026, 10, 26, 14, 2, 0);

function setup(settings: Settings = defaultSettings(), platform: NodeJS.Platform = 'linux') {
  const engine = new FakeEngine();
  engine.current = makeSnapshot({
    accounts: [makeAccount({ key: 'GITHUB_TOKEN', login: 'alice' }), makeAccount({ key: 'GITHUB_TOKEN2', login: 'bob' })],
  });
  const clock = { now: NOW };
  let id = 0;
  const unsubscribe = setupNotifications({ engine, settings: () => settings, platform, now: () => clock.now, timeZone: 'UTC' });
  const emit = (body: EventBody) => engine.emitEvent({ id: ++id, ts: clock.now, startId: 's', ...body });
  return { engine, clock, emit, unsubscribe, shown: () => fake.Notification.shown };
}

const rotated = (over: Partial<Extract<EventBody, { kind: 'rotated' }>> = {}): EventBody => ({
  kind: 'rotated',
  from: 'GITHUB_TOKEN',
  to: 'GITHUB_TOKEN2',
  model: 'gpt-4o-mini',
  reason: 'UserByModelByDay',
  resetsAt: AT_1402,
  ...over,
});

describe('notifications', () => {
  beforeEach(() => fake.resetElectronFake());

  it('announces a rotation: from which account to which, the model, why and when it resets', () => {
    const { emit, shown } = setup();
    emit(rotated());
    expect(shown()).toEqual([
      {
        title: 'Switched from alice to bob',
        body: 'For gpt-4o-mini: alice reached its daily limit; it resets at 14:02 (in 6 h 25 min).',
      },
    ]);
  });

  it('coalesces: one per (account, model) per cooldown', () => {
    const { emit, shown, clock } = setup();
    emit(rotated());
    emit(rotated());
    emit(rotated({ to: 'GITHUB_TOKEN3' }));
    expect(shown()).toHaveLength(1);
    emit(rotated({ model: 'gpt-4o' }));
    expect(shown()).toHaveLength(2);
    emit(rotated({ from: 'GITHUB_TOKEN2', to: 'GITHUB_TOKEN' }));
    expect(shown()).toHaveLength(3);
    clock.now = AT_1402 - 1;
    emit(rotated());
    expect(shown()).toHaveLength(3);
    clock.now = AT_1402;
    emit(rotated());
    expect(shown()).toHaveLength(4);
  });

  it('announces a route’s fallback to another provider once until the first target resets (the rotation toggle)', () => {
    const { emit, shown, clock } = setup();
    const fallback: EventBody = { kind: 'route-fallback', route: 'llama-3.3-70b', from: 'groq/llama-3.3-70b-versatile', to: 'cerebras/llama-3.3-70b', reason: 'rate-limited', resetsAt: AT_1402 };
    emit(fallback);
    emit(fallback);
    emit({ ...fallback, to: 'nvidia/meta/llama-3.3-70b-instruct' });
    expect(shown()).toEqual([
      {
        title: 'llama-3.3-70b moved from groq to cerebras',
        body: 'groq/llama-3.3-70b-versatile is at its limit; requests for llama-3.3-70b go to cerebras/llama-3.3-70b until it resets at 14:02 (in 6 h 25 min).',
      },
    ]);
    clock.now = AT_1402;
    emit({ ...fallback, resetsAt: null });
    expect(shown().at(-1)).toEqual({ title: 'llama-3.3-70b moved from groq to cerebras', body: 'groq/llama-3.3-70b-versatile is at its limit; requests for llama-3.3-70b go to cerebras/llama-3.3-70b.' });
    const off = setup({ ...defaultSettings(), notifications: { ...defaultSettings().notifications, rotation: false } });
    const before = off.shown().length;
    off.emit(fallback);
    expect(off.shown()).toHaveLength(before);
  });

  it('without a reset time, coalesces for the default cooldown', () => {
    const settings = { ...defaultSettings(), defaultCooldownSeconds: 60 };
    const { emit, shown, clock } = setup(settings);
    emit(rotated({ resetsAt: null, reason: 'Unknown' }));
    expect(shown()[0]!.body).toBe('For gpt-4o-mini: alice was rate-limited.');
    clock.now = NOW + 59_000;
    emit(rotated({ resetsAt: null }));
    expect(shown()).toHaveLength(1);
    clock.now = NOW + 60_000;
    emit(rotated({ resetsAt: null }));
    expect(shown()).toHaveLength(2);
  });

  it('a cooldown that ended lets the next one be announced', () => {
    const { emit, shown } = setup();
    emit(rotated());
    emit({ kind: 'cooldown-ended', account: 'GITHUB_TOKEN', model: 'gpt-4o-mini' });
    emit(rotated());
    expect(shown()).toHaveLength(2);
  });

  it('account invalid: once until it recovers; recovery is announced', () => {
    const { emit, shown } = setup();
    emit({ kind: 'account-invalid', account: 'GITHUB_TOKEN2', login: 'bob', reason: 'Bad credentials' });
    emit({ kind: 'account-invalid', account: 'GITHUB_TOKEN2', login: 'bob', reason: 'Bad credentials' });
    expect(shown()).toEqual([
      { title: 'bob needs a new token', body: 'GitHub rejected the token of bob (Bad credentials). Replace it in Settings; the other accounts carry on.' },
    ]);
    emit({ kind: 'recovered', account: 'GITHUB_TOKEN2', model: null });
    expect(shown().at(-1)).toEqual({ title: 'bob is available again', body: 'bob can serve requests again.' });
    emit({ kind: 'account-invalid', account: 'GITHUB_TOKEN2', login: 'bob', reason: 'Bad credentials' });
    expect(shown()).toHaveLength(3);
  });

  it('a model exhausted on every account, coalesced until its reset', () => {
    const { emit, shown } = setup();
    emit({ kind: 'model-exhausted', model: 'gpt-4o', until: AT_1402 });
    emit({ kind: 'model-exhausted', model: 'gpt-4o', until: AT_1402 });
    expect(shown()).toEqual([
      { title: 'gpt-4o is exhausted on every account', body: 'Requests for gpt-4o are refused until 14:02 (in 6 h 25 min).' },
    ]);
  });

  it('recovery only for a problem that was seen', () => {
    const { emit, shown } = setup();
    emit({ kind: 'recovered', account: 'GITHUB_TOKEN', model: 'gpt-4o-mini' });
    expect(shown()).toEqual([]);
    emit(rotated());
    emit({ kind: 'recovered', account: 'GITHUB_TOKEN', model: 'gpt-4o-mini' });
    expect(shown().at(-1)).toEqual({ title: 'alice is available again', body: 'alice can serve gpt-4o-mini again.' });
    emit({ kind: 'recovered', account: 'GITHUB_TOKEN', model: 'gpt-4o-mini' });
    expect(shown()).toHaveLength(2);
  });

  it('each kind can be turned off; a silenced problem still gets its recovery', () => {
    const settings = defaultSettings();
    settings.notifications = { rotation: false, invalid: true, exhausted: false, recovery: true };
    const { emit, shown } = setup(settings);
    emit(rotated());
    emit({ kind: 'model-exhausted', model: 'gpt-4o', until: AT_1402 });
    expect(shown()).toEqual([]);
    emit({ kind: 'recovered', account: 'GITHUB_TOKEN', model: 'gpt-4o-mini' });
    expect(shown().map((n) => n.title)).toEqual(['alice is available again']);

    settings.notifications.recovery = false;
    emit(rotated({ model: 'o3' }));
    emit({ kind: 'recovered', account: 'GITHUB_TOKEN', model: 'o3' });
    expect(shown()).toHaveLength(1);
  });

  it('a manual reset clears the coalescing', () => {
    const { emit, shown } = setup();
    emit(rotated());
    emit({ kind: 'manual-reset', account: null, model: null });
    emit(rotated());
    expect(shown()).toHaveLength(2);
  });

  it('shows nothing where notifications are unsupported', () => {
    fake.fakeState.notificationsSupported = false;
    const { emit, shown } = setup();
    emit(rotated());
    expect(shown()).toEqual([]);
  });

  it('sets the AppUserModelID on Windows only', () => {
    setup(defaultSettings(), 'linux');
    expect(fake.app.appUserModelId).toBeNull();
    setup(defaultSettings(), 'win32');
    expect(fake.app.appUserModelId).toBe(APP_ID);
  });

  it('stops after unsubscribe', () => {
    const { emit, shown, unsubscribe } = setup();
    unsubscribe();
    emit(rotated());
    expect(shown()).toEqual([]);
  });

  it('announces a retired provider once, naming the accounts it leaves idle', () => {
    const { emit, shown, clock } = setup();
    const retired: EventBody = {
      kind: 'provider-retired',
      provider: 'github',
      message: 'GitHub retired GitHub Models on 2026-07-30 — add an account of another provider',
      accounts: ['GITHUB_TOKEN', 'GITHUB_TOKEN2'],
    };
    emit(retired);
    emit(retired);
    clock.now = AT_1402 + 24 * 3_600_000;
    emit(retired);
    expect(shown()).toEqual([
      {
        title: '2 accounts (alice, bob) can serve nothing',
        body: 'GitHub retired GitHub Models on 2026-07-30 — add an account of another provider.',
      },
    ]);
  });

  it('says nothing of a retirement when "No account can serve a model" is off', () => {
    const settings = defaultSettings();
    const { emit, shown } = setup({ ...settings, notifications: { ...settings.notifications, exhausted: false } });
    emit({ kind: 'provider-retired', provider: 'github', message: 'Gone', accounts: ['GITHUB_TOKEN'] });
    expect(shown()).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { buildTrayMenu, TOOLTIP_MAX, type TrayMenuItem } from './tray-menu';
import { makeAccount, makeSnapshot, rateLimit, RETIRED_WARNING } from './test-support/snapshots';

const NOW = Date.UTC(2026, 10, 26, 7, 37, 0); // 07:37 UTC
const AT_1402 = Date.UTC(2026, 10, 26, 14, 2, 0); // 6 h 25 min later
const opts = { now: NOW, launchAtLogin: false, timeZone: 'UTC' };

const labels = (items: TrayMenuItem[]) => items.map((i) => (i.type === 'separator' ? '---' : i.label));
const find = (items: TrayMenuItem[], prefix: string) => items.find((i) => i.label?.startsWith(prefix));

const alice = (over = {}) => makeAccount({ key: 'GITHUB_TOKEN', login: 'alice', masked: 'gho_…Xq', ...over });
const bob = (over = {}) => makeAccount({ key: 'GITHUB_TOKEN2', login: 'bob', masked: 'gho_…9U', ...over });

describe('buildTrayMenu', () => {
  it('running with every account well: ok icon, full menu in order', () => {
    const m = buildTrayMenu(makeSnapshot({ accounts: [alice(), bob()] }), opts);
    expect(m.icon).toBe('ok');
    expect(m.tooltip).toBe('Switchyard — 2 accounts, all ready');
    expect(labels(m.template)).toEqual([
      'Running on 127.0.0.1:4000',
      '---',
      'Stop Proxy',
      '---',
      'alice: ready',
      'bob: ready',
      '---',
      'Open Dashboard',
      'Settings…',
      'Copy Base URL',
      'View Logs',
      '---',
      'Launch at Login',
      '---',
      'Quit',
    ]);
    expect(m.template[0]!.enabled).toBe(false);
    expect(find(m.template, 'Stop Proxy')!.action).toBe('stop-proxy');
    expect(find(m.template, 'Quit')!.action).toBe('quit');
    expect(labels(find(m.template, 'alice')!.submenu!)).toEqual(['Login: alice', 'Key: GITHUB_TOKEN (gho_…Xq)', 'State: ready']);
  });

  it('one account blocked for a model: some-blocked icon, countdown and tooltip with the reset time', () => {
    const snap = makeSnapshot({ accounts: [alice({ blocks: [rateLimit('gpt-4o-mini', AT_1402)] }), bob()] });
    const m = buildTrayMenu(snap, opts);
    expect(m.icon).toBe('some-blocked');
    expect(m.tooltip).toBe('Switchyard — 2 accounts, alice blocked for gpt-4o-mini until 14:02');
    const account = find(m.template, 'alice')!;
    expect(account.label).toBe('alice: 1 model blocked');
    expect(labels(account.submenu!)).toEqual([
      'Login: alice',
      'Key: GITHUB_TOKEN (gho_…Xq)',
      'State: 1 model blocked',
      '---',
      'gpt-4o-mini: resets in 6 h 25 min',
      '---',
      'Clear Blocks',
    ]);
    expect(find(account.submenu!, 'Clear Blocks')).toMatchObject({ action: 'reset-account', account: 'GITHUB_TOKEN' });
    expect(find(m.template, 'bob')!.label).toBe('bob: ready');
  });

  it('every account blocked for one model: all-blocked icon and an exhausted line, even if the snapshot lacks it', () => {
    const snap = makeSnapshot({
      accounts: [alice({ blocks: [rateLimit('gpt-4o-mini', AT_1402)] }), bob({ blocks: [rateLimit('gpt-4o-mini', AT_1402 + 60_000)] })],
    });
    const m = buildTrayMenu(snap, opts);
    expect(m.icon).toBe('all-blocked');
    expect(labels(m.template).slice(0, 3)).toEqual([
      'Running on 127.0.0.1:4000',
      'gpt-4o-mini: every account blocked, resets in 6 h 25 min',
      '---',
    ]);
    expect(m.tooltip).toBe('Switchyard — 2 accounts, gpt-4o-mini exhausted on every account until 14:02 (+2 more)');
  });

  it('the snapshot’s exhaustedModels alone make the icon all-blocked', () => {
    const snap = makeSnapshot({ accounts: [alice(), bob()], exhaustedModels: [{ model: 'o3', until: AT_1402 }] });
    expect(buildTrayMenu(snap, opts).icon).toBe('all-blocked');
  });

  it('an invalid account: some-blocked; all invalid: all-blocked', () => {
    const one = buildTrayMenu(makeSnapshot({ accounts: [alice(), bob({ status: 'invalid', statusReason: 'Bad credentials' })] }), opts);
    expect(one.icon).toBe('some-blocked');
    expect(one.tooltip).toBe('Switchyard — 2 accounts, bob invalid');
    const bobItem = find(one.template, 'bob')!;
    expect(bobItem.label).toBe('bob: invalid');
    expect(labels(bobItem.submenu!)).toContain('State: invalid (Bad credentials)');
    expect(labels(bobItem.submenu!)).toContain('Clear Blocks');

    const both = buildTrayMenu(makeSnapshot({ accounts: [alice({ status: 'invalid' }), bob({ status: 'invalid' })] }), opts);
    expect(both.icon).toBe('all-blocked');
  });

  it('a user-wide pause shows "All models" with its countdown', () => {
    const snap = makeSnapshot({
      accounts: [alice({ status: 'cooling', userBlock: { limitType: 'UserByMinute', until: NOW + 45_000, retryAfterSeconds: 45, source: 'retry-after' } }), bob()],
    });
    const m = buildTrayMenu(snap, opts);
    expect(m.icon).toBe('some-blocked');
    expect(labels(find(m.template, 'alice')!.submenu!)).toContain('All models: resets in 1 min');
    expect(m.tooltip).toBe('Switchyard — 2 accounts, alice paused until 07:38');
  });

  it('blocks whose reset time has passed are not shown', () => {
    const m = buildTrayMenu(makeSnapshot({ accounts: [alice({ blocks: [rateLimit('gpt-4o', NOW - 1)] })] }), opts);
    expect(m.icon).toBe('ok');
    expect(find(m.template, 'alice')!.label).toBe('alice: ready');
  });

  it('stopped: stopped icon, "Stopped" and Start Proxy', () => {
    const m = buildTrayMenu(makeSnapshot({ accounts: [alice()] }, { status: 'stopped' }), opts);
    expect(m.icon).toBe('stopped');
    expect(m.tooltip).toBe('Switchyard — stopped');
    expect(labels(m.template).slice(0, 3)).toEqual(['Stopped', '---', 'Start Proxy']);
    expect(find(m.template, 'Start Proxy')!.action).toBe('start-proxy');
  });

  it('port in use: says so and offers another port', () => {
    const m = buildTrayMenu(makeSnapshot({ accounts: [alice()] }, { status: 'error', error: 'Port 4000 is already in use' }), opts);
    expect(m.icon).toBe('stopped');
    expect(m.tooltip).toBe('Switchyard — Port 4000 is already in use');
    expect(labels(m.template).slice(0, 4)).toEqual(['Not running: Port 4000 is already in use', 'Use Another Port…', '---', 'Start Proxy']);
    expect(find(m.template, 'Use Another Port…')!.action).toBe('use-another-port');
  });

  it('no accounts: says so and links to settings', () => {
    const m = buildTrayMenu(makeSnapshot(), opts);
    expect(m.icon).toBe('all-blocked');
    expect(m.tooltip).toBe('Switchyard — no accounts yet');
    expect(find(m.template, 'No accounts yet')!.action).toBe('open-settings');
  });

  it('Launch at Login is a checkbox reflecting the option', () => {
    const on = find(buildTrayMenu(makeSnapshot(), { ...opts, launchAtLogin: true }).template, 'Launch at Login')!;
    expect(on).toMatchObject({ type: 'checkbox', checked: true, action: 'toggle-launch-at-login' });
    const off = find(buildTrayMenu(makeSnapshot(), opts).template, 'Launch at Login')!;
    expect(off.checked).toBe(false);
  });

  it('offers keeping tokens without a keyring only when asked', () => {
    expect(find(buildTrayMenu(makeSnapshot(), opts).template, 'Keep Tokens')).toBeUndefined();
    const item = find(buildTrayMenu(makeSnapshot(), { ...opts, offerKeepTokensOnDisk: true }).template, 'Keep Tokens');
    expect(item!.action).toBe('keep-tokens-on-disk');
  });

  it('forbidden models and shared quotas are named', () => {
    const snap = makeSnapshot({
      accounts: [
        alice({ sharesQuotaWith: ['GITHUB_TOKEN3'], blocks: [{ model: 'o1', reason: 'forbidden', limitType: null, source: 'upstream-403', until: null, retryAfterSeconds: null }] }),
        bob(),
      ],
    });
    const m = buildTrayMenu(snap, opts);
    const sub = labels(find(m.template, 'alice')!.submenu!);
    expect(sub).toContain('Shares one quota with GITHUB_TOKEN3');
    expect(sub).toContain('o1: not allowed for this account');
    expect(m.tooltip).toBe('Switchyard — 2 accounts, alice not allowed o1');
  });

  it('a reset on another day names the day; long tooltips are cut to the Windows limit', () => {
    const tomorrow = AT_1402 + 24 * 3_600_000;
    const many = Array.from({ length: 3 }, (_, i) => makeAccount({ key: `K${i}`, login: `a-very-long-login-name-number-${i}`, blocks: [rateLimit(`some-really-long-model-name-${i}`, tomorrow)] }));
    const m = buildTrayMenu(makeSnapshot({ accounts: [...many, bob()] }), opts);
    expect(m.tooltip.length).toBeLessThanOrEqual(TOOLTIP_MAX);
    expect(m.tooltip.startsWith('Switchyard — 4 accounts, a-very-long-login-name-number-0 blocked for some-really-long-model-name-0 until Fri 14:02')).toBe(true);
  });

  it('a retired provider: its own icon, the warning first in the tooltip and the menu, the account marked retired', () => {
    const retired = alice({ status: 'retired', statusReason: RETIRED_WARNING.message });
    const m = buildTrayMenu(makeSnapshot({ accounts: [retired, bob()], warnings: [RETIRED_WARNING] }), opts);
    expect(m.icon).toBe('warning');
    expect(m.tooltip).toBe('Switchyard — GitHub retired GitHub Models on 2026-07-30 — add an account of another provider');
    expect(labels(m.template).slice(0, 2)).toEqual(['Running on 127.0.0.1:4000', RETIRED_WARNING.message]);
    expect(find(m.template, 'alice')!.label).toBe('alice: retired by its provider');
    expect(find(m.template, 'bob')!.label).toBe('bob: ready');
  });

  it('a retired account alone, without a warning, can serve nothing: all-blocked', () => {
    const m = buildTrayMenu(makeSnapshot({ accounts: [alice({ status: 'retired' })] }), opts);
    expect(m.icon).toBe('all-blocked');
  });

  it('a route on a fallback: the tooltip and the menu say where its requests go and when the first target resets', () => {
    const view = (target: string, over = {}) => ({ target, provider: target.split('/')[0]!, model: target.slice(target.indexOf('/') + 1), state: 'ready' as const, reason: null, until: null, served: 0, fallbacks: 0, lastServed: false, lacks: [], ...over });
    const groq = makeAccount({ key: 'GROQ_API_KEY', provider: 'groq', blocks: [rateLimit('llama-3.3-70b-versatile', AT_1402)] });
    const cerebras = makeAccount({ key: 'CEREBRAS_API_KEY', provider: 'cerebras' });
    const route = (first: object, spread = false) => ({
      name: 'llama-3.3-70b',
      origin: 'family' as const,
      spread,
      shadows: null,
      targets: [view('groq/llama-3.3-70b-versatile', first), view('cerebras/llama-3.3-70b', { served: 3, fallbacks: 3, lastServed: true })],
    });
    const limited = { state: 'limited' as const, reason: 'every groq account is at a limit', until: AT_1402, served: 2 };
    const m = buildTrayMenu(makeSnapshot({ accounts: [groq, cerebras], routes: [route(limited)] }), opts);
    expect(m.tooltip).toBe('Switchyard — 2 accounts, llama-3.3-70b on cerebras (groq at its limit until 14:02) (+1 more)');
    expect(labels(m.template)).toContain('llama-3.3-70b: served by cerebras/llama-3.3-70b, groq resets in 6 h 25 min');
    // Once the first target serves again, or for a route that spreads its load, there is nothing to say.
    for (const snap of [makeSnapshot({ accounts: [cerebras], routes: [route({})] }), makeSnapshot({ accounts: [cerebras], routes: [route(limited, true)] })]) {
      const quiet = buildTrayMenu(snap, opts);
      expect(quiet.tooltip).toBe('Switchyard — 1 account, all ready');
      expect(labels(quiet.template).some((l) => l?.startsWith('llama-3.3-70b'))).toBe(false);
    }
  });
});

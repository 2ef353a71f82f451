import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './test-support/electron-fake';
import { FakeEngine } from './test-support/fake-engine';
import { makeAccount, makeSnapshot, rateLimit } from './test-support/snapshots';
import { COUNTDOWN_REFRESH_MS, setupTray, type TrayHandlers } from './tray';
import type { TrayAction } from './tray-menu';

vi.mock('electron', () => import('./test-support/electron-fake'));

const NOW = Date.UTC(2026, 10, 26, 7, 37, 0);
const AT_1402 = Date.UTC(2026, 10, 26, 14, 2, 0);
const alice = (blocks = [] as ReturnType<typeof rateLimit>[]) => makeAccount({ key: 'GITHUB_TOKEN', login: 'alice', blocks });

function handlers(): TrayHandlers & { calls: [TrayAction, unknown][] } {
  const calls: [TrayAction, unknown][] = [];
  const actions: TrayAction[] = ['start-proxy', 'stop-proxy', 'use-another-port', 'open-dashboard', 'open-settings', 'copy-base-url', 'view-logs', 'toggle-launch-at-login', 'keep-tokens-on-disk', 'reset-account', 'quit'];
  const out = Object.fromEntries(actions.map((a) => [a, (t: unknown) => void calls.push([a, t])])) as unknown as TrayHandlers;
  return Object.assign(out, { calls });
}

function start(engine = new FakeEngine(), extra: Partial<Parameters<typeof setupTray>[0]> = {}) {
  const h = handlers();
  const controller = setupTray({
    engine,
    handlers: h,
    iconPath: (state) => `/icons/tray-${state}.png`,
    launchAtLogin: () => false,
    timeZone: 'UTC',
    ...extra,
  });
  const tray = fake.Tray.instances.at(-1)!;
  return { engine, controller, tray, h };
}

describe('tray controller', () => {
  beforeEach(() => {
    fake.resetElectronFake();
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('creates the tray with the icon, tooltip and menu of the current snapshot', () => {
    const engine = new FakeEngine();
    engine.current = makeSnapshot({ accounts: [alice()] });
    const { tray } = start(engine);
    expect((tray.image as fake.FakeNativeImage).path).toBe('/icons/tray-ok.png');
    expect(tray.tooltips).toEqual(['Switchyard — 1 account, all ready']);
    expect(tray.menus).toHaveLength(1);
    expect(tray.menu!.template[0]!.label).toBe('Running on 127.0.0.1:4000');
  });

  it('sets a freshly built menu, tooltip and icon on every change, and nothing when nothing visible changed', () => {
    const { engine, tray } = start();
    engine.emitSnapshot(makeSnapshot({ accounts: [alice()] }));
    expect(tray.menus).toHaveLength(2);
    engine.emitSnapshot(makeSnapshot({ accounts: [alice()] }, { status: 'stopped' }));
    expect(tray.menus).toHaveLength(3);
    expect(new Set(tray.menus).size).toBe(3);
    expect(tray.menu!.find('Stopped')).toBeDefined();
    expect(tray.menu!.find('Start Proxy')).toBeDefined();
    expect(tray.tooltips.at(-1)).toBe('Switchyard — stopped');
    expect((tray.images.at(-1) as fake.FakeNativeImage).path).toBe('/icons/tray-stopped.png');

    engine.emitSnapshot(makeSnapshot({ accounts: [alice()], generatedAt: 99 }, { status: 'stopped' }));
    expect(tray.menus).toHaveLength(3);
  });

  it('runs no timer while nothing is blocked', () => {
    const { engine } = start();
    engine.emitSnapshot(makeSnapshot({ accounts: [alice()] }));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refreshes countdowns once a minute while something is blocked, then stops the timer', () => {
    const { engine, tray } = start();
    engine.emitSnapshot(makeSnapshot({ accounts: [alice([rateLimit('gpt-4o-mini', AT_1402)]), makeAccount({ key: 'B' })] }));
    expect(tray.menu!.find('gpt-4o-mini: resets in 6 h 25 min')).toBeDefined();
    expect(vi.getTimerCount()).toBe(1);
    const menus = tray.menus.length;

    vi.advanceTimersByTime(COUNTDOWN_REFRESH_MS - 1);
    expect(tray.menus).toHaveLength(menus);
    vi.advanceTimersByTime(1);
    expect(tray.menus).toHaveLength(menus + 1);
    expect(tray.menu!.find('gpt-4o-mini: resets in 6 h 24 min')).toBeDefined();
    expect(vi.getTimerCount()).toBe(1);

    engine.emitSnapshot(makeSnapshot({ accounts: [alice(), makeAccount({ key: 'B' })] }));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the timer ends by itself once the block has run out', () => {
    const { engine, tray } = start();
    engine.emitSnapshot(makeSnapshot({ accounts: [alice([rateLimit('gpt-4o', NOW + 90_000)]), makeAccount({ key: 'B' })] }));
    vi.advanceTimersByTime(2 * COUNTDOWN_REFRESH_MS);
    expect(tray.menu!.find('alice: ready')).toBeDefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('binds clicks to the named handlers, with the account for per-account actions', () => {
    const { engine, tray, h } = start();
    engine.emitSnapshot(makeSnapshot({ accounts: [alice([rateLimit('gpt-4o', AT_1402)]), makeAccount({ key: 'B' })] }));
    tray.menu!.find('Stop Proxy')!.click!();
    tray.menu!.find('Clear Blocks')!.click!();
    tray.menu!.find('Quit')!.click!();
    expect(h.calls).toEqual([
      ['stop-proxy', {}],
      ['reset-account', { account: 'GITHUB_TOKEN' }],
      ['quit', {}],
    ]);
  });

  it('reports a failing handler instead of throwing from the click', async () => {
    const errors: [unknown, string][] = [];
    const h = handlers();
    h['view-logs'] = async () => {
      throw new Error('no log yet');
    };
    h['copy-base-url'] = () => {
      throw new Error('no clipboard');
    };
    const { tray } = start(new FakeEngine(), { handlers: h, onError: (e, a) => void errors.push([e, a]) });
    expect(() => tray.menu!.find('View Logs')!.click!()).not.toThrow();
    expect(() => tray.menu!.find('Copy Base URL')!.click!()).not.toThrow();
    await vi.waitFor(() => expect(errors).toHaveLength(2));
    expect(errors.map(([e, a]) => [(e as Error).message, a]).sort()).toEqual([
      ['no clipboard', 'copy-base-url'],
      ['no log yet', 'view-logs'],
    ]);
  });

  it('refresh() picks up a changed Launch at Login', () => {
    let launch = false;
    const { controller, tray } = start(new FakeEngine(), { launchAtLogin: () => launch });
    expect(tray.menu!.find('Launch at Login')!.checked).toBe(false);
    launch = true;
    controller.refresh();
    expect(tray.menu!.find('Launch at Login')!.checked).toBe(true);
  });

  it('is a no-op after destroy: no timer, no listener, no calls on the destroyed tray', () => {
    const { engine, controller, tray } = start();
    engine.emitSnapshot(makeSnapshot({ accounts: [alice([rateLimit('gpt-4o', AT_1402)])] }));
    expect(vi.getTimerCount()).toBe(1);
    controller.destroy();
    expect(tray.isDestroyed()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(engine.listenerCount).toBe(0);
    expect(() => controller.update(makeSnapshot())).not.toThrow();
    expect(() => controller.refresh()).not.toThrow();
    controller.destroy();
  });
});

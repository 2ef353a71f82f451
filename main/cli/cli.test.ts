import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../shared/snapshot';
import { startHarness, type Harness } from '../core/test-support/harness';
import { main } from './index';
import { reset } from './reset';
import { status } from './status';
import { fakeIo, until } from './test-support/fake-io';
import { closedPort } from './test-support/spawn-cli';
import { watch } from './watch';

const MODEL = 'openai/gpt-4o-mini';

describe('the CLI against a running Switchyard', () => {
  let h: Harness;
  let env: Record<string, string>;
  beforeAll(async () => {
    h = await startHarness();
    // Found the way a user's shell finds it: the data folder's admin.key and PORT.
    env = { SWITCHYARD_DATA_DIR: h.dataDir, PORT: new URL(h.origin).port };
  });
  afterAll(() => h.close());

  const chat = () => h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  /** A fresh upstream and engine, then a day limit on whichever account serves first; returns its key. */
  const blockFirstAccount = async () => {
    h.sim.control.resetQuota();
    await h.engine.reset({});
    const { response } = await chat();
    const key = response.headers.get('x-switchyard-account') as string;
    const login = h.engine.snapshot().accounts.find((a) => a.key === key)?.login as string;
    h.sim.control.exhaust(login, MODEL, 'UserByModelByDay');
    await chat();
    return key;
  };

  describe('status', () => {
    it('prints the table: proxy, accounts with logins and states, blocked models with reset times', async () => {
      const blocked = await blockFirstAccount();
      const t = fakeIo(env);
      expect(await status([], t.io)).toBe(0);
      const text = t.stdout();
      expect(text).toContain(`proxy running at ${h.origin}/v1`);
      expect(text).toContain(`start id ${h.engine.snapshot().startId}`);
      expect(text).toMatch(/^ACCOUNT\s+LOGIN\s+TOKEN\s+STATE\s+FAILS\s+BLOCKED MODELS$/m);
      expect(text).toMatch(new RegExp(`^${blocked}\\s+@\\w+\\s+\\S+\\s+ok\\s+\\d+\\s+${MODEL} until \\S+( \\S+)? \\(in [^)]+\\) · UserByModelByDay$`, 'm'));
      for (const account of h.engine.snapshot().accounts) expect(text).toContain(`@${account.login}`);
      expect(t.stderr()).toBe('');
    });

    it('prints the snapshot as JSON with --json', async () => {
      const t = fakeIo(env);
      expect(await status(['--json'], t.io)).toBe(0);
      const snapshot = JSON.parse(t.stdout()) as Snapshot;
      expect(snapshot.startId).toBe(h.engine.snapshot().startId);
      expect(snapshot.accounts.map((a) => a.key)).toEqual(['GITHUB_TOKEN', 'GITHUB_TOKEN2']);
      expect(JSON.stringify(snapshot)).not.toContain('TOKEN0000');
    });

    it('takes --url and --key instead', async () => {
      const t = fakeIo({ SWITCHYARD_DATA_DIR: join(h.dataDir, 'elsewhere') });
      expect(await status(['--url', h.origin, '--key', h.engine.adminKey, '--json'], t.io)).toBe(0);
      expect((JSON.parse(t.stdout()) as Snapshot).proxy.port).toBe(Number(env.PORT));
    });
  });

  describe('reset', () => {
    it('refuses to reset everything without --all, and contradictory or unknown targets', async () => {
      for (const [argv, pattern] of [
        [[], /say what to reset: --account KEY, --model ID, both, or --all/],
        [['--all', '--account', 'GITHUB_TOKEN'], /--all resets everything/],
        [['--account', 'NOPE'], /there is no account NOPE \(accounts: GITHUB_TOKEN, GITHUB_TOKEN2\)/],
      ] as const) {
        const t = fakeIo(env);
        expect(await reset([...argv], t.io)).toBe(2);
        expect(t.stderr()).toMatch(pattern);
        expect(t.stdout()).toBe('');
      }
    });

    it('exits 2 for a model no account knows, and lists the models known (as for an unknown account)', async () => {
      await blockFirstAccount();
      const t = fakeIo(env);
      expect(await reset(['--model', 'nonexistent'], t.io)).toBe(2);
      expect(t.stderr()).toBe(`switchyard reset: no account has used or blocked a model nonexistent (models known: ${MODEL}).\n`);
      expect(t.stdout()).toBe('');
    });

    it('clears one account’s block for a bare model id, and the state changes', async () => {
      const blocked = await blockFirstAccount();
      const blocksOf = () => h.engine.snapshot().accounts.find((a) => a.key === blocked)?.blocks.filter((b) => b.model === MODEL) ?? [];
      expect(blocksOf()).toHaveLength(1);
      const t = fakeIo(env);
      expect(await reset(['--account', blocked, '--model', 'gpt-4o-mini'], t.io)).toBe(0);
      expect(t.stdout()).toBe(`Reset ${MODEL} on ${blocked}: cleared 1 mark.\n`);
      expect(blocksOf()).toHaveLength(0);
    });

    it('clears everything with --all', async () => {
      await blockFirstAccount();
      const t = fakeIo(env);
      expect(await reset(['--all'], t.io)).toBe(0);
      expect(t.stdout()).toMatch(/^Reset every account and model: cleared [1-9]\d* marks?\.\n$/);
      expect(h.engine.snapshot().accounts.flatMap((a) => a.blocks)).toEqual([]);
    });
  });

  describe('watch', () => {
    it('prints a frame when not on a terminal, a new one when state changes, and quits on q', async () => {
      const t = fakeIo(env);
      const running = watch([], t.io);
      await until(() => t.stdout().includes('BLOCKED MODELS'), 'the first frame');
      expect(t.stdout()).toMatch(/^switchyard watch · http:\/\/127\.0\.0\.1:\d+ · \d\d:\d\d:\d\d · q or Ctrl-C quits$/m);
      expect(t.stdout()).not.toContain('\x1b[');
      const frames = t.out.length;
      const cleared = fakeIo(env);
      await reset(['--all'], cleared.io);
      await until(() => t.stdout().includes('Reset by hand: every account and model') && t.out.length > frames, 'a frame after the reset');
      t.stdin.write('q');
      expect(await running).toBe(0);
    });

    it('quits on SIGINT', async () => {
      const t = fakeIo(env);
      const running = watch([], t.io);
      await until(() => t.stdout().includes('BLOCKED MODELS'), 'the first frame');
      t.signals.emit('SIGINT');
      expect(await running).toBe(0);
      expect(t.signals.listenerCount('SIGINT')).toBe(0);
    });

    it('on a terminal draws in place on the alternate screen and gives the terminal back', async () => {
      const t = fakeIo(env, { tty: true });
      const running = watch([], t.io);
      await until(() => t.stdout().includes('BLOCKED MODELS'), 'the first frame');
      expect(t.rawModes).toEqual([true]);
      t.stdin.write('\x03'); // Ctrl-C in raw mode is a byte, not a signal
      expect(await running).toBe(0);
      const text = t.stdout();
      expect(text.startsWith('\x1b[?1049h\x1b[?25l\x1b[H')).toBe(true);
      expect(text.endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
      expect(t.rawModes).toEqual([true, false]);
    });

    it('at 80×24 no drawn line is wider than the terminal and the header stays on top', async () => {
      const t = fakeIo(env, { tty: true, columns: 80, rows: 24 });
      const running = watch([], t.io);
      await until(() => t.stdout().includes('BLOCKED MODELS'), 'the first frame');
      t.stdin.write('q');
      expect(await running).toBe(0);
      const frame = t.stdout().split('\x1b[H')[1]!.split('\x1b[J')[0]!;
      const lines = frame.split('\x1b[K\n').slice(0, -1).map((l) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, ''));
      expect(lines[0]).toMatch(/^switchyard watch · http:\/\/127\.0\.0\.1:\d+ · /);
      expect(lines.length).toBeLessThanOrEqual(23);
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
      expect(lines.some((l) => l.endsWith('…'))).toBe(true);
    });
  });

  describe('when it cannot talk to the instance', () => {
    it('says in one line that nothing is running there, exit code 2', async () => {
      const port = await closedPort();
      for (const run of [status, watch, (argv: string[], io: ReturnType<typeof fakeIo>['io']) => reset([...argv, '--all'], io)]) {
        const t = fakeIo(env);
        expect(await run(['--url', `http://127.0.0.1:${port}`], t.io)).toBe(2);
        expect(t.stderr()).toBe(`switchyard: nothing is running at http://127.0.0.1:${port} (connection refused). Start it with \`npm run serve\` or the desktop app.\n`);
        expect(t.stdout()).toBe('');
      }
    });

    it('says in one line that the admin key was refused, exit code 2', async () => {
      const t = fakeIo(env);
      expect(await status(['--key', 'not-the-key'], t.io)).toBe(2);
      expect(t.stderr()).toBe(`switchyard: ${h.origin} refused the admin key (given with --key). Pass the right one with --key, or set SWITCHYARD_DATA_DIR to the data folder of the running Switchyard.\n`);
    });

    it('says where it looked when there is no admin key at all', async () => {
      const empty = await mkdtemp(join(tmpdir(), 'switchyard-nokey-'));
      try {
        const t = fakeIo({ SWITCHYARD_DATA_DIR: empty });
        expect(await status(['--url', h.origin], t.io)).toBe(2);
        expect(t.stderr()).toContain(`needs the admin key, and there is none in ${join(empty, 'admin.key')}`);
        expect(t.stderr().split('\n').filter(Boolean)).toHaveLength(1);
      } finally {
        await rm(empty, { recursive: true, force: true });
      }
    });
  });

  describe('--help', () => {
    it('is on every command and lists its options', async () => {
      for (const [run, options] of [
        [status, ['--json', '--url', '--key']],
        [watch, ['--url', '--key', 'q or Ctrl-C']],
        [reset, ['--account', '--model', '--all']],
      ] as const) {
        const t = fakeIo(env);
        expect(await run(['--help'], t.io)).toBe(0);
        for (const option of options) expect(t.stdout()).toContain(option);
      }
    });

    it('lists status, watch and reset in the top-level usage, and serve has its help too', async () => {
      const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      try {
        expect(await main(['--help'])).toBe(0);
        expect(await main(['serve', '--help'])).toBe(0);
        const text = write.mock.calls.map((c) => String(c[0])).join('');
        for (const name of ['status', 'watch', 'reset']) expect(text).toMatch(new RegExp(`^  ${name}\\s+\\S`, 'm'));
        expect(text).toContain('--log-level');
      } finally {
        write.mockRestore();
      }
    });

    it('answers an unknown flag with a usage error, exit code 2', async () => {
      const t = fakeIo(env);
      expect(await status(['--bogus'], t.io)).toBe(2);
      expect(t.stderr()).toMatch(/^switchyard status: .*--bogus/);
      expect(t.stderr()).toContain('Usage: switchyard status');
    });
  });
});

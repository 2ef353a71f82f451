import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../io';

/** A CliIo that records output, with a pseudo-stdin and a signal source the test controls. */
export function fakeIo(env: Record<string, string | undefined>, options: { tty?: boolean; columns?: number; rows?: number } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const rawModes: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: options.tty,
    setRawMode: (raw: boolean) => rawModes.push(raw),
  });
  const signals = new EventEmitter();
  const io: CliIo = {
    stdout: { write: (text: string) => out.push(text), isTTY: options.tty, columns: options.columns, rows: options.rows },
    stderr: { write: (text: string) => err.push(text) },
    stdin,
    env,
    signals: { on: (signal, listener) => signals.on(signal, listener), off: (signal, listener) => signals.off(signal, listener) },
    now: Date.now,
  };
  return { io, out, err, stdin, signals, rawModes, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** Polls until `check` holds (bounded, so a broken feature fails instead of hanging). */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

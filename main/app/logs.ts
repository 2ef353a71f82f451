import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import pinoRoll from 'pino-roll';
import { shell } from 'electron';
import { createLogger } from '../core/log';
import type { Redactor } from '../core/mask';
import { redactSecrets } from './redact';

/**
 * The app's log (the engine logs into it too): JSON lines in `<userData>/logs/switchyard.<n>.log`,
 * rolled by size with the newest few kept (the core's redacting pino logger over pino-roll). On top
 * of the core's token-shape redaction, every line is masked against the tokens actually held.
 * "View Logs" opens the newest file (or the folder when there is none yet).
 */

export const LOG_BASENAME = 'switchyard';
const LOG_FILE = /^switchyard\.(\d+)\.log$/;

export interface AppLog {
  logger: Logger;
  logsDir: string;
  close(): Promise<void>;
}

export interface AppLogOptions {
  logsDir: string;
  /** pino-roll size, e.g. '10m' or '1k'. */
  size?: string;
  /** Rolled files kept besides the current one. */
  keep?: number;
  secrets?: () => readonly string[];
  /** The engine's redactor (the keys it holds, whatever their shape): one for the log and the engine. */
  redactor?: Redactor;
  /** The engine's start id, on every line. */
  startId: string | (() => string);
  level?: string;
}

export async function createAppLog(options: AppLogOptions): Promise<AppLog> {
  // The log folder and its files are the user's own (0700 / 0600): lines name accounts and models.
  mkdirSync(options.logsDir, { recursive: true, mode: 0o700 });
  const stream = await pinoRoll({
    file: join(options.logsDir, LOG_BASENAME),
    extension: '.log',
    size: options.size ?? '10m',
    limit: { count: options.keep ?? 4, removeOtherLogFiles: true },
    mkdir: true,
    mode: 0o600,
    // Synchronous writes: rolling by size only happens reliably this way, and a desktop app logs little.
    sync: true,
  });
  const secrets = options.secrets ?? (() => []);
  const destination = { write: (line: string) => stream.write(redactSecrets(line, secrets())) };
  const logger = createLogger({ startId: options.startId, level: options.level, destination, redactor: options.redactor });
  let closed: Promise<void> | null = null;
  return {
    logger,
    logsDir: options.logsDir,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        stream.flush(() => {
          stream.once('close', () => resolve());
          stream.end();
        });
      })),
  };
}

/** The newest log file (highest roll number), or null when none exists yet. */
export function latestLogFile(logsDir: string): string | null {
  let best: { n: number; name: string } | null = null;
  let names: string[];
  try {
    names = readdirSync(logsDir);
  } catch {
    return null;
  }
  for (const name of names) {
    const m = LOG_FILE.exec(name);
    if (m && (!best || Number(m[1]) > best.n)) best = { n: Number(m[1]), name };
  }
  return best ? join(logsDir, best.name) : null;
}

export async function openLogs(logsDir: string): Promise<string> {
  const target = latestLogFile(logsDir) ?? logsDir;
  const error = await shell.openPath(target);
  if (error) throw new Error(`Could not open the log (${target}): ${error}`);
  return target;
}

import { AdminClient, CliError, resolveTarget } from './admin-client';
import { UsageError } from './args';

/** What a CLI command touches of the process, so tests can run it in-process. */
export interface CliIo {
  /** `columns` and `rows`: the terminal's size, when it is one. */
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number; rows?: number };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  env: Record<string, string | undefined>;
  /** Where SIGINT / SIGTERM arrive (the process). */
  signals: { on(signal: NodeJS.Signals, listener: () => void): unknown; off(signal: NodeJS.Signals, listener: () => void): unknown };
  now(): number;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, signals: process, now: Date.now };
}

/** The flags every admin-API command shares. */
export const TARGET_OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const TARGET_HELP = `  --url URL     the running Switchyard (default: http://127.0.0.1:$PORT, else the address the
                running \`serve\` recorded in the data folder, else the port saved in its
                settings, else http://127.0.0.1:4000)
  --key KEY     its admin key (default: the file admin.key in the data folder, SWITCHYARD_DATA_DIR)
  -h, --help    this help`;

export const EXIT_CODES_HELP = 'Exit codes: 0 done, 1 the running Switchyard reported an error, 2 nothing running there, wrong admin key, or bad usage.';

export async function connect(flags: { url?: string; key?: string }, io: CliIo): Promise<AdminClient> {
  return new AdminClient(await resolveTarget(flags, io.env));
}

/**
 * Runs a command body with the CLI's error rules: a CliError or a usage error is one line on
 * stderr (usage errors add the help) and its exit code; anything else is a bug and keeps its stack.
 */
export async function runCommand(io: CliIo, name: string, help: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof UsageError) {
      io.stderr.write(`switchyard ${name}: ${error.message}\n\n${help}`);
      return 2;
    }
    throw error;
  }
}

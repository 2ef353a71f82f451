import { setTimeout as sleep } from 'node:timers/promises';
import { createParser } from 'eventsource-parser';
import { ADMIN_ROUTES } from '../../shared/admin-routes';
import type { EngineEvent } from '../../shared/events';
import type { Snapshot } from '../../shared/snapshot';
import { applySnapshotDelta, type SnapshotDelta } from '../../shared/snapshot-delta';
import type { AdminClient } from './admin-client';
import { parseCommandArgs } from './args';
import { connect, EXIT_CODES_HELP, processIo, runCommand, TARGET_HELP, TARGET_OPTIONS, type CliIo } from './io';
import { fitFrame, renderFrame, type FrameState } from './watch-view';

const HELP = `Usage: switchyard watch [--url URL] [--key KEY]

A live view of the running Switchyard (the old token-emergency.sh watch): the status table and the
latest events, redrawn in place as they change; reset countdowns tick every second. q or Ctrl-C
quits. If the connection drops (a restart), it reconnects by itself. When the output is not a
terminal, each new state is printed as a frame of its own.
${TARGET_HELP}

${EXIT_CODES_HELP}
`;

const EVENTS_SHOWN = 8;
const RETRY_MS = 2_000;
const TICK_MS = 1_000;
const ESC = '\x1b[';

export async function watch(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand(io, 'watch', HELP, async () => {
    const { values } = parseCommandArgs(argv, TARGET_OPTIONS);
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    const client = await connect(values, io);
    const events = await client.call<EngineEvent[]>(ADMIN_ROUTES.events, undefined, { limit: EVENTS_SHOWN });
    return new Watcher(client, io, events).run();
  });
}

/** Holds the latest snapshot and events, draws frames, and owns the terminal while it runs. */
class Watcher {
  private readonly state: FrameState;
  private readonly quit = new AbortController();
  private readonly tty: boolean;

  constructor(
    private readonly client: AdminClient,
    private readonly io: CliIo,
    events: EngineEvent[],
  ) {
    this.state = { url: client.url, snapshot: null, events: events.slice(-EVENTS_SHOWN), problem: null };
    this.tty = Boolean(io.stdout.isTTY);
  }

  async run(): Promise<number> {
    const stop = () => this.quit.abort();
    const onKey = (chunk: Buffer | string) => {
      const text = chunk.toString();
      if (/[qQ\x03]/.test(text)) stop();
    };
    this.io.signals.on('SIGINT', stop);
    this.io.signals.on('SIGTERM', stop);
    this.io.stdin.on('data', onKey);
    if (this.io.stdin.isTTY) this.io.stdin.setRawMode?.(true);
    this.io.stdin.resume();
    if (this.tty) this.io.stdout.write(`${ESC}?1049h${ESC}?25l`);
    const ticker = this.tty ? setInterval(() => this.draw(), TICK_MS) : null;
    try {
      await this.follow();
      return 0;
    } finally {
      if (ticker) clearInterval(ticker);
      if (this.tty) this.io.stdout.write(`${ESC}?25h${ESC}?1049l`);
      if (this.io.stdin.isTTY) this.io.stdin.setRawMode?.(false);
      this.io.stdin.off('data', onKey);
      this.io.stdin.pause();
      this.io.signals.off('SIGINT', stop);
      this.io.signals.off('SIGTERM', stop);
    }
  }

  /** Reads the stream until quit; reconnects after a drop (a first failure is the caller's error). */
  private async follow(): Promise<void> {
    let connected = false;
    while (!this.quit.signal.aborted) {
      try {
        await this.readStream(() => (connected = true));
        if (this.quit.signal.aborted) return;
        this.state.problem = `the connection to ${this.client.url} closed (Switchyard stopped or restarting); reconnecting…`;
      } catch (error) {
        if (this.quit.signal.aborted) return;
        if (!connected) throw error;
        this.state.problem = `${(error as Error).message.replace(/^switchyard: /, '')} — retrying every ${RETRY_MS / 1000} s`;
      }
      this.draw();
      await sleep(RETRY_MS, undefined, { signal: this.quit.signal }).catch(() => undefined);
    }
  }

  private async readStream(onOpen: () => void): Promise<void> {
    const response = await this.client.stream(this.quit.signal);
    onOpen();
    const parser = createParser({
      onEvent: (message) => {
        if (message.event === 'snapshot') {
          this.state.snapshot = JSON.parse(message.data) as Snapshot;
          this.state.problem = null;
          this.draw();
        } else if (message.event === 'delta') {
          // The stream sends a delta only onto the snapshot it sent before.
          const next = this.state.snapshot ? applySnapshotDelta(this.state.snapshot, JSON.parse(message.data) as SnapshotDelta) : null;
          if (!next) return;
          this.state.snapshot = next;
          this.state.problem = null;
          this.draw();
        } else if (message.event === 'events') {
          this.state.events = [...this.state.events, ...(JSON.parse(message.data) as EngineEvent[])].slice(-EVENTS_SHOWN);
          if (this.tty) this.draw();
        }
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch (error) {
      if (!this.quit.signal.aborted) throw error;
    }
  }

  private draw(): void {
    const frame = renderFrame(this.state, { now: this.io.now(), color: this.tty && !this.io.env.NO_COLOR });
    if (this.tty) {
      const { columns, rows } = this.io.stdout;
      // The last row stays empty: writing into it would scroll the screen by one line.
      const fitted = fitFrame(frame, { columns, rows: rows ? rows - 1 : undefined });
      this.io.stdout.write(`${ESC}H${fitted.replace(/\n/g, `${ESC}K\n`)}${ESC}J`);
    }
    else this.io.stdout.write(`${frame}\n`);
  }
}

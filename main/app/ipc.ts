import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { Engine } from '../core/engine-types';
import { SnapshotFeed } from '../core/runtime/snapshot-feed';
import {
  INVOKE_CHANNELS,
  INVOKE_METHODS,
  PUSH_CHANNELS,
  type InvokeMethod,
  type IpcReply,
  type PushPayload,
  type PushType,
} from '../../shared/ipc';
import { IPC_ARGS, describeIssues } from './ipc-schemas';
import { redactSecrets } from './redact';
import { stripHash } from './window';

/**
 * One `ipcMain.handle` per channel of the shared map. Each handler drops calls that do not come
 * from the top frame of our own window showing our renderer, validates the arguments with zod,
 * calls the engine and answers `IpcReply` in plain words. Snapshots and events are pushed to the
 * window as they happen. Nothing bound for the renderer may carry a token: every reply and push
 * is redacted against the tokens the secret store holds (and the one being added).
 */

export interface IpcWindows {
  readonly rendererUrl: string;
  owns(win: BrowserWindow | null): boolean;
  all(): BrowserWindow[];
}

export interface IpcDeps {
  engine: Engine;
  windows: IpcWindows;
  /** Every token currently known, for redaction. */
  secrets: () => readonly string[];
  warn?: (message: string) => void;
}

export const REFUSED_SENDER = "Refused: this request did not come from Switchyard's own window.";

export function isTrustedSender(event: IpcMainInvokeEvent, windows: IpcWindows): boolean {
  const win = BrowserWindow.fromWebContents(event.sender);
  if (!windows.owns(win)) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return stripHash(frame.url) === windows.rendererUrl;
}

function errorWords(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'string' && error) return error;
  return 'Something went wrong in Switchyard; see the log for details.';
}

async function call(engine: Engine, method: InvokeMethod, args: unknown[]): Promise<unknown> {
  if (method === 'getSnapshot') return engine.snapshot();
  const fn = engine[method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(engine, args);
}

export function setupIpc(deps: IpcDeps): () => void {
  const { engine, windows } = deps;

  for (const method of INVOKE_METHODS) {
    ipcMain.handle(INVOKE_CHANNELS[method], async (event, ...args: unknown[]): Promise<IpcReply<unknown>> => {
      if (!isTrustedSender(event, windows)) {
        deps.warn?.(`IPC ${method} refused: foreign sender ${event.senderFrame?.url ?? '(no frame)'}`);
        return { ok: false, error: REFUSED_SENDER };
      }
      const parsed = IPC_ARGS[method].safeParse(args);
      if (!parsed.success) {
        return { ok: false, error: `Invalid input for ${method}: ${describeIssues(parsed.error)}` };
      }
      const valid = parsed.data as unknown[];
      const extra = method === 'addAccount' ? [(valid[0] as { token: string }).token] : [];
      const secrets = [...deps.secrets(), ...extra];
      try {
        const value = await call(engine, method, valid);
        return redactSecrets({ ok: true, value }, secrets);
      } catch (error) {
        const words = redactSecrets(errorWords(error), secrets);
        deps.warn?.(`IPC ${method} failed: ${words}`);
        return { ok: false, error: words };
      }
    });
  }

  const push = <T extends PushType>(type: T, payload: PushPayload<T>) => {
    const safe = redactSecrets(payload, deps.secrets());
    for (const win of windows.all()) {
      if (win.isDestroyed() || win.webContents.isDestroyed()) continue;
      win.webContents.send(PUSH_CHANNELS[type], safe);
    }
  };
  // At the engine's snapshot cadence (at most 4 a second): the events since the last push as one
  // batch, then the snapshot, redacted once for every window.
  const offFeed = new SnapshotFeed(engine).subscribe((feed) => {
    if (feed.events.length > 0) push('events', { type: 'events', events: [...feed.events] });
    if (feed.snapshot) push('snapshot', { type: 'snapshot', snapshot: feed.snapshot });
  });

  return () => {
    offFeed();
    for (const method of INVOKE_METHODS) ipcMain.removeHandler(INVOKE_CHANNELS[method]);
  };
}

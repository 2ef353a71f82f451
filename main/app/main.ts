import { app, dialog } from 'electron';
import { createEngine } from '../core/engine';
import { runDesktopApp } from './lifecycle';

// The Electron main process entry, bundled to dist/app/main.js (ESM).
runDesktopApp({ createEngine, mainDir: import.meta.dirname }).catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`Switchyard failed to start: ${message}\n`);
  if (app.isReady()) dialog.showErrorBox('Switchyard failed to start', message);
  app.exit(1);
});

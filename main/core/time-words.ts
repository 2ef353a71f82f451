/** Durations in words: the one home is shared/words/time-words.ts (the engine, the CLI, the dashboard and the tray share it). */
export { formatDuration } from '../../shared/words/time-words';

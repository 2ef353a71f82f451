export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

// Each command's code (and what it imports) is loaded when that command runs: `switchyard status`
// never loads the engine, `switchyard serve` never loads the watch view.
/** Every `switchyard` subcommand; each file owns its options and `--help`. */
export const COMMANDS: Record<string, Command> = {
  serve: { summary: 'run the proxy and the dashboard headless (like the old PM2 service)', run: async (argv) => (await import('./serve')).serve(argv) },
  status: { summary: 'show the running proxy: accounts, logins, states, blocked models and reset times', run: async (argv) => (await import('./status')).status(argv) },
  watch: { summary: 'a live view of the running proxy and its latest events (q quits)', run: async (argv) => (await import('./watch')).watch(argv) },
  reset: { summary: 'clear cooldowns and blocks: --account KEY, --model ID, or --all', run: async (argv) => (await import('./reset')).reset(argv) },
};

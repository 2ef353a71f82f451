import { serve } from './serve';

export interface Command {
  summary: string;
  run(argv: string[]): Promise<number>;
}

/** Every `switchyard` subcommand; each file owns its options and `--help`. */
export const COMMANDS: Record<string, Command> = {
  serve: { summary: 'run the proxy and the dashboard headless (like the old PM2 service)', run: serve },
};

import { VERSION } from '../core/version';
import { COMMANDS } from './commands';

const USAGE = `switchyard ${VERSION} — an OpenAI-compatible proxy that spreads GitHub Models requests over several GitHub accounts

Usage: switchyard <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`)
  .join('\n')}

Run \`switchyard <command> --help\` for a command's options.
`;

/** Entry of the `switchyard` bin; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`switchyard: unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  return command.run(rest);
}

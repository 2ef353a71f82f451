import { ADMIN_ROUTES } from '../../shared/admin-routes';
import type { ResetResult, ResetTarget } from '../../shared/api';
import type { Snapshot } from '../../shared/snapshot';
import { CliError } from './admin-client';
import { parseCommandArgs, UsageError } from './args';
import { connect, EXIT_CODES_HELP, processIo, runCommand, TARGET_HELP, TARGET_OPTIONS, type CliIo } from './io';

const HELP = `Usage: switchyard reset [--account KEY] [--model ID] [--all]

Clears rate-limit cooldowns, "forbidden" and "invalid" marks and open circuits, so the accounts are
tried again at once (the old token-emergency.sh emergency). Upstream still has the last word: a
limit that is really still in force comes back with the next 429.
  --account KEY one account (its key, e.g. GROQ_API_KEY2)
  --model ID    one model (bare or prefixed: gpt-4o-mini or openai/gpt-4o-mini)
  --all         everything, on every account (required when neither --account nor --model is given)
${TARGET_HELP}

${EXIT_CODES_HELP}
`;

/** All model ids the snapshot knows of (blocks, usage, exhausted). */
function knownModels(snapshot: Snapshot): string[] {
  const ids = new Set<string>();
  for (const account of snapshot.accounts) {
    for (const block of account.blocks) ids.add(block.model);
    for (const usage of account.usage) ids.add(usage.model);
  }
  for (const model of snapshot.exhaustedModels) ids.add(model.model);
  return [...ids];
}

/**
 * The id the engine keys blocks by: `gpt-4o-mini` → `openai/gpt-4o-mini` when exactly one known id
 * matches; null when no known id matches (nothing to reset), or several do (the caller must choose).
 */
export function resolveModel(given: string, known: string[]): string | null {
  const wanted = given.trim().toLowerCase();
  const exact = known.find((id) => id.toLowerCase() === wanted);
  if (exact) return exact;
  const bare = known.filter((id) => id.toLowerCase().split('/').pop() === wanted.split('/').pop());
  return bare.length === 1 ? (bare[0] as string) : null;
}

function describeTarget(target: ResetTarget): string {
  if (target.account && target.model) return `${target.model} on ${target.account}`;
  if (target.account) return `every model on ${target.account}`;
  if (target.model) return `${target.model} on every account`;
  return 'every account and model';
}

export async function reset(argv: string[], io: CliIo = processIo()): Promise<number> {
  return runCommand(io, 'reset', HELP, async () => {
    const { values } = parseCommandArgs(argv, { ...TARGET_OPTIONS, account: { type: 'string' }, model: { type: 'string' }, all: { type: 'boolean' } });
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (values.all && (values.account || values.model)) throw new UsageError('--all resets everything; leave out --account and --model, or drop --all.');
    if (!values.all && !values.account && !values.model) throw new UsageError('say what to reset: --account KEY, --model ID, both, or --all for everything.');
    const client = await connect(values, io);
    const snapshot = await client.call<Snapshot>(ADMIN_ROUTES.snapshot);
    const target: ResetTarget = {};
    if (values.account) {
      const keys = snapshot.accounts.map((a) => a.key);
      if (!keys.includes(values.account)) throw new CliError(`switchyard reset: there is no account ${values.account} (accounts: ${keys.join(', ') || 'none'}).`, 2);
      target.account = values.account;
    }
    if (values.model) {
      const known = knownModels(snapshot).sort();
      const model = resolveModel(values.model, known);
      if (model === null) throw new CliError(`switchyard reset: no account has used or blocked a model ${values.model} (models known: ${known.join(', ') || 'none'}).`, 2);
      target.model = model;
    }
    const result = await client.call<ResetResult>(ADMIN_ROUTES.reset, target);
    io.stdout.write(`Reset ${describeTarget(target)}: cleared ${result.cleared} mark${result.cleared === 1 ? '' : 's'}.\n`);
    return 0;
  });
}

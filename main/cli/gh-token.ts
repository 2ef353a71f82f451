import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { GhTokenReader } from '../core/engine-types';

/**
 * `gh auth token`: the GitHub CLI's token, for "Import from gh". Lives with the shells (the CLI
 * and the desktop app hand it to the engine), so the engine never runs programs itself.
 */
export const readGhToken: GhTokenReader = async () => {
  let token: string;
  try {
    token = (await promisify(execFile)('gh', ['auth', 'token'], { timeout: 10_000 })).stdout.trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { ok: false, code: 'gh_not_installed', message: 'The GitHub CLI (gh) is not installed. Install it from https://cli.github.com, run `gh auth login`, then try again — or paste a token.' };
    }
    return { ok: false, code: 'gh_no_token', message: NO_TOKEN };
  }
  return token ? { ok: true, token } : { ok: false, code: 'gh_no_token', message: NO_TOKEN };
};

const NO_TOKEN = 'The GitHub CLI has no token: run `gh auth login` first.';

import type { ProviderId } from '../providers/types';

/** A provider that no longer serves: what people are told, and since when. */
export interface Retirement {
  provider: ProviderId;
  /** ISO date the provider stopped serving. */
  since: string;
  message: string;
}

/** GitHub Models since 2026-07-30 (see reference/github-models-api.md). */
export const GITHUB_MODELS_RETIREMENT: Retirement = {
  provider: 'github',
  since: '2026-07-30',
  message: 'GitHub retired GitHub Models on 2026-07-30 — add an account of another provider',
};

/**
 * True when an answer of GitHub Models' inference API or catalog says it is gone for good: HTTP
 * 410 whose body speaks of the retirement (the captured brownout body says "retirement").
 */
export function isGithubRetirement(status: number, bodyText: string): boolean {
  return status === 410 && /retir/i.test(bodyText);
}

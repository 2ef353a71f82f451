import { PROVIDER_IDS, type ProviderId } from '../providers/types';
import type { RouteTarget } from './types';

const PROVIDERS: ReadonlySet<string> = new Set(PROVIDER_IDS);

export function isProviderId(text: string): text is ProviderId {
  return PROVIDERS.has(text);
}

/**
 * `groq/llama-3.3-70b-versatile` → {groq, llama-3.3-70b-versatile}; the model keeps its own
 * slashes (`openrouter/meta-llama/llama-3.3-70b-instruct:free`). Null when the part before the
 * first slash is not a provider id, or either side is empty.
 */
export function parseTarget(text: string): RouteTarget | null {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash <= 0) return null;
  const provider = trimmed.slice(0, slash).toLowerCase();
  const model = trimmed.slice(slash + 1);
  if (!isProviderId(provider) || model === '') return null;
  return { provider, model };
}

/** `{provider}/{model}`, as `/v1/models`, headers and messages name a target. */
export function targetId(target: RouteTarget): string {
  return `${target.provider}/${target.model}`;
}

export function sameTarget(a: RouteTarget, b: RouteTarget): boolean {
  return a.provider === b.provider && a.model === b.model;
}

import type { Exceeded, MeterSpec, MeterView } from './types';
import { goDuration } from './durations';

/**
 * What Groq and OpenAI share: the "Rate limit reached for …" prose naming the window, the model
 * and the organisation, and x-ratelimit-* headers whose resets are Go durations.
 */

const WINDOWS: Record<string, [string, string]> = {
  rpm: ['requests per minute (RPM)', 'requests per min (RPM)'],
  rpd: ['requests per day (RPD)', 'requests per day (RPD)'],
  tpm: ['tokens per minute (TPM)', 'tokens per min (TPM)'],
  tpd: ['tokens per day (TPD)', 'tokens per day (TPD)'],
};

export type Flavour = 'groq' | 'openai';

export function windowWords(spec: MeterSpec, flavour: Flavour): string {
  const words = WINDOWS[spec.name] ?? [spec.name, spec.name];
  return flavour === 'groq' ? words[0] : words[1];
}

export function rateLimitProse(e: Exceeded, model: string, org: string, flavour: Flavour): string {
  const used = Math.min(e.spec.limit, Math.round(e.used));
  const wait = goDuration(e.waitMs);
  if (flavour === 'groq') {
    return `Rate limit reached for model \`${model}\` in organization \`${org}\` service tier \`on_demand\` on ${windowWords(e.spec, flavour)}: Limit ${e.spec.limit}, Used ${used}, Requested ${e.requested}. Please try again in ${wait}. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing`;
  }
  return `Rate limit reached for ${model} in organization ${org} on ${windowWords(e.spec, flavour)}: Limit ${e.spec.limit}, Used ${used}, Requested ${e.requested}. Please try again in ${wait}. Visit https://platform.openai.com/account/rate-limits to learn more.`;
}

/** The six x-ratelimit-* headers, from the request and token counters named. */
export function rateLimitHeaders(views: readonly MeterView[], requests: string, tokens: string): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (kind: 'requests' | 'tokens', name: string) => {
    const v = views.find((view) => view.spec.name === name);
    if (!v) return;
    out[`x-ratelimit-limit-${kind}`] = String(v.spec.limit);
    out[`x-ratelimit-remaining-${kind}`] = String(v.remaining);
    out[`x-ratelimit-reset-${kind}`] = goDuration(v.resetMs);
  };
  put('requests', requests);
  put('tokens', tokens);
  return out;
}

import type { RouteNeed } from '../../../shared/routes';
import type { ProviderModel } from '../providers/types';
import type { LiveTarget } from './types';

/** What a chat request asks of the model, as far as catalogs can say whether a model takes it. */
export interface RequestNeeds {
  tools: boolean;
  vision: boolean;
  jsonSchema: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyArray = (value: unknown): boolean => Array.isArray(value) && value.length > 0;

function hasImage(messages: unknown): boolean {
  if (!Array.isArray(messages)) return false;
  return messages.some(
    (message) => isRecord(message) && Array.isArray(message.content) && message.content.some((part) => isRecord(part) && (part.type === 'image_url' || part.type === 'input_image')),
  );
}

/**
 * The needs of a chat completions body: tools (or the older `functions`), an image in any
 * message, a `json_schema` response format. Other dialects are translated to chat first.
 */
export function requestNeeds(body: Record<string, unknown>): RequestNeeds {
  const format = body.response_format;
  return {
    tools: nonEmptyArray(body.tools) || nonEmptyArray(body.functions),
    vision: hasImage(body.messages),
    jsonSchema: isRecord(format) && format.type === 'json_schema',
  };
}

/** One of RequestNeeds' keys; shared with the views (shared/routes.ts). */
export type Need = RouteNeed & keyof RequestNeeds;

const CAPABILITY: Record<Need, keyof NonNullable<ProviderModel['capabilities']>> = { tools: 'tools', vision: 'vision', jsonSchema: 'jsonSchema' };

/** What the catalog entry says the model does not take, whatever a request needs. */
export function statedLacks(entry: ProviderModel): Need[] {
  return (Object.keys(CAPABILITY) as Need[]).filter((need) => entry.capabilities?.[CAPABILITY[need]] === false);
}

/** Needs this model's catalog entry says it lacks. Unstated capabilities are not held against it: upstream decides. */
export function missingNeeds(entry: ProviderModel, needs: RequestNeeds): Need[] {
  return (Object.keys(CAPABILITY) as Need[]).filter((need) => needs[need] && entry.capabilities?.[CAPABILITY[need]] === false);
}

export interface SkippedTarget {
  target: LiveTarget;
  missing: Need[];
}

/** Splits targets into those that can take the request and those skipped for a missing capability. */
export function filterByNeeds(targets: readonly LiveTarget[], needs: RequestNeeds): { kept: LiveTarget[]; skipped: SkippedTarget[] } {
  const kept: LiveTarget[] = [];
  const skipped: SkippedTarget[] = [];
  for (const target of targets) {
    const missing = missingNeeds(target.entry, needs);
    if (missing.length === 0) kept.push(target);
    else skipped.push({ target, missing });
  }
  return { kept, skipped };
}

const NEED_WORDS: Record<Need, string> = { tools: 'tools', vision: 'images', jsonSchema: 'a JSON schema response format' };

/** "does not take tools or images" */
export function describeMissing(missing: readonly Need[]): string {
  return `does not take ${missing.map((need) => NEED_WORDS[need]).join(' or ')}`;
}

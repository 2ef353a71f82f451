import { ProxyError } from '../../errors';

/** Claude model names go through Settings' claudeModelMap; every other name is resolved as everywhere. */
export const isClaudeName = (name: string) => /^(claude|anthropic)[-/.]/i.test(name);

/** Whether a map key matches a model name: exactly, as a dated version of it, or as a `prefix*`. */
function matches(key: string, name: string): boolean {
  const k = key.toLowerCase();
  const n = name.toLowerCase();
  if (k.endsWith('*')) return n.startsWith(k.slice(0, -1));
  return n === k || (n.startsWith(`${k}-`) && /^\d{8}$|^latest$/.test(n.slice(k.length + 1)));
}

/** The model or route a Claude name maps to (longest matching key wins); other names unchanged. */
export function mapClaudeModel(name: string, map: Record<string, string>): string {
  if (!isClaudeName(name)) return name;
  const key = Object.keys(map)
    .filter((k) => matches(k, name))
    .sort((a, b) => b.replace(/\*$/, '').length - a.replace(/\*$/, '').length)[0];
  if (key !== undefined) return map[key] as string;
  throw new ProxyError(
    404,
    'not_found_error',
    `Switchyard has no model mapped for '${name.slice(0, 200)}'. Claude model names are mapped to a model Switchyard serves in Settings (claudeModelMap), for example {"claude-sonnet-*": "openai/gpt-4.1", "claude-opus-*": "openai/gpt-4.1", "claude-haiku-*": "openai/gpt-4o-mini"}: in settings.json, or PATCH /admin/api/settings. Or set ANTHROPIC_MODEL and ANTHROPIC_DEFAULT_HAIKU_MODEL to a model from GET /v1/models.`,
    { code: 'model_not_mapped', param: 'model' },
  );
}

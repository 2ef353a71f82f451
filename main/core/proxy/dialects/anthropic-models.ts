import type { Settings } from '../../../../shared/settings';
import type { ModelCatalog } from '../../limits/model-catalog';

/**
 * GET /v1/models in Anthropic's list shape, for clients that send `anthropic-version` (Claude Code
 * lists models at start and keeps only ids starting with "claude"): the exact Claude names of
 * claudeModelMap first, then the catalog.
 */
export function anthropicModelList(catalog: ModelCatalog, settings: Settings, startedAt: number): Record<string, unknown> {
  const createdAt = new Date(startedAt).toISOString();
  const mapped = Object.entries(settings.claudeModelMap)
    .filter(([name]) => !name.endsWith('*'))
    .map(([name, target]) => ({ type: 'model', id: name, display_name: `${name} (served by ${target})`, created_at: createdAt }));
  const models = catalog.list().map((model) => ({ type: 'model', id: model.id, display_name: model.name, created_at: createdAt }));
  const data = [...mapped, ...models];
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}

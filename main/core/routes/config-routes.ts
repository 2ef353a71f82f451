import { z } from 'zod';
import { routeSettingsSchema } from '../../../shared/routes';
import type { RouteDefinition } from './types';

/**
 * The config file's `routes:` (DESIGN.md): each name maps to its targets, or to
 * `{targets, spread}` for a route that spreads its load.
 */
const configRoutesSchema = z.record(z.string(), z.union([z.array(z.string()), z.object({ targets: z.array(z.string()), spread: z.boolean().optional() }).strict()]));

export type ConfigRoutesResult = { ok: true; routes: RouteDefinition[] } | { ok: false; message: string };

/** Reads the parsed `routes:` value of a config file into route definitions, or says what is wrong with it. */
export function routesFromConfig(value: unknown): ConfigRoutesResult {
  if (value === undefined || value === null) return { ok: true, routes: [] };
  const shape = configRoutesSchema.safeParse(value);
  if (!shape.success) return { ok: false, message: 'routes: each route name must map to a list of provider/model targets, or to {targets: [...], spread: true|false}.' };
  const routes = Object.entries(shape.data).map(([name, entry]) => (Array.isArray(entry) ? { name, targets: entry, spread: false } : { name, targets: entry.targets, spread: entry.spread ?? false }));
  const checked = routeSettingsSchema.safeParse(routes);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const route = routes[Number(issue.path[0])];
    return { ok: false, message: `routes.${route?.name ?? '?'}: ${issue.message}` };
  }
  return { ok: true, routes: checked.data };
}

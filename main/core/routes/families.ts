import { z } from 'zod';
import table from './families.json';
import type { RouteDefinition } from './types';

/** Marks an id that no reference of the project states; the live catalogs decide whether it is used. */
export const UNCONFIRMED = 'UNCONFIRMED';

const familyTableSchema = z.object({
  about: z.string(),
  families: z.array(
    z.object({
      name: z.string().min(1),
      label: z.string().min(1),
      targets: z.array(z.object({ target: z.string().min(3), source: z.string().min(1) })).min(1),
    }),
  ),
});
export type FamilyTable = z.infer<typeof familyTableSchema>;

/** The bundled table, checked when loaded: a broken file fails at start-up, not mid-request. */
export const FAMILY_TABLE: FamilyTable = familyTableSchema.parse(table);

/** Built-in families as route definitions (targets in the table's order). */
export function familyRoutes(source: FamilyTable = FAMILY_TABLE): RouteDefinition[] {
  return source.families.map((family) => ({ name: family.name, targets: family.targets.map((t) => t.target) }));
}

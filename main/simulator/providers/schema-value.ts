/**
 * A value that satisfies a JSON schema, the way a model filling in tool arguments would: every
 * property (required ones at least), enums and consts honoured, numbers inside their bounds,
 * strings of an allowed length. Covers the schema keywords tools and `json_schema` use.
 */

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export function valueFor(schema: unknown, name = 'value', depth = 0, root: unknown = schema): unknown {
  if (!isSchema(schema) || depth > 12) return null;
  if (typeof schema.$ref === 'string') return valueFor(resolveRef(root, schema.$ref), name, depth + 1, root);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      const pick = options.find((o) => isSchema(o) && o.type !== 'null') ?? options[0];
      return valueFor(pick, name, depth + 1, root);
    }
  }
  if (Array.isArray(schema.allOf)) {
    const merged = Object.assign({}, ...schema.allOf.filter(isSchema)) as Schema;
    return valueFor(merged, name, depth + 1, root);
  }
  const type = Array.isArray(schema.type) ? (schema.type.find((t) => t !== 'null') ?? 'null') : schema.type;
  switch (type ?? (schema.properties ? 'object' : 'string')) {
    case 'object':
      return objectFor(schema, depth, root);
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      return Array.from({ length: Math.max(1, min) }, () => valueFor(schema.items ?? { type: 'string' }, name, depth + 1, root));
    }
    case 'integer':
    case 'number':
      return numberFor(schema, type === 'integer');
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return stringFor(schema, name);
  }
}

function objectFor(schema: Schema, depth: number, root: unknown): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(properties)) out[key] = valueFor(sub, key, depth + 1, root);
  const required = Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : [];
  for (const key of required) if (!(key in out)) out[key] = 'value';
  return out;
}

function numberFor(schema: Schema, integer: boolean): number {
  const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : 0.5) : null;
  const max = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : 0.5) : null;
  let n = min ?? (max !== null ? Math.min(max, 1) : 1);
  if (integer) n = Math.ceil(n);
  return n;
}

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  time: '00:00:00Z',
  email: 'someone@example.com',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function stringFor(schema: Schema, name: string): string {
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  let text = format ?? `sample ${name}`;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  while (text.length < min) text += 'x';
  return text.slice(0, max);
}

function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return null;
  let node: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) node = isSchema(node) ? node[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))] : undefined;
  return node;
}

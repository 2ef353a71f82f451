/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every line
 * must be a HELP, a TYPE, a sample of a family whose TYPE came first, a comment or blank; throws on
 * anything else (bad names, labels, escapes, values).
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parsePrometheusText(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    if (line.startsWith('# HELP ')) {
      const [, name = '', help = ''] = /^# HELP (\S+) ?(.*)$/.exec(line) ?? [];
      if (!NAME.test(name)) throw new Error(`bad HELP name at ${where}`);
      families.set(name, { ...(families.get(name) ?? { name, type: 'untyped', samples: [] }), help });
      return;
    }
    if (line.startsWith('# TYPE ')) {
      const [, name = '', type = ''] = /^# TYPE (\S+) (\S+)$/.exec(line) ?? [];
      if (!NAME.test(name) || !TYPES.has(type)) throw new Error(`bad TYPE at ${where}`);
      const family = families.get(name) ?? { name, help: '', samples: [] };
      families.set(name, { ...family, type: type as Family['type'] });
      return;
    }
    if (line.trim() === '' || line.startsWith('#')) return; // blank lines and other comments are ignored by the format
    const sample = parseSample(line, where);
    const family = familyOf(sample.name, families);
    if (!family) throw new Error(`sample of an undeclared family at ${where}`);
    family.samples.push(sample);
  });
  return families;
}

function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  const exact = families.get(name);
  if (exact) return exact;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const base = families.get(name.slice(0, -suffix.length));
    if (base && (base.type === 'histogram' || base.type === 'summary')) return base;
  }
  return undefined;
}

function parseSample(line: string, where: string): Sample {
  const nameEnd = line.search(/[{ ]/);
  if (nameEnd <= 0) throw new Error(`no metric name at ${where}`);
  const name = line.slice(0, nameEnd);
  if (!NAME.test(name)) throw new Error(`bad metric name at ${where}`);
  const labels: Record<string, string> = {};
  let at = nameEnd;
  if (line[at] === '{') {
    at += 1;
    while (line[at] !== '}') {
      const eq = line.indexOf('=', at);
      const label = line.slice(at, eq);
      if (eq < 0 || !LABEL_NAME.test(label) || line[eq + 1] !== '"') throw new Error(`bad label at ${where}`);
      let value = '';
      let i = eq + 2;
      for (; i < line.length && line[i] !== '"'; i += 1) {
        if (line[i] === '\\') {
          const next = line[i + 1];
          if (next === 'n') value += '\n';
          else if (next === '\\' || next === '"') value += next;
          else throw new Error(`bad escape at ${where}`);
          i += 1;
        } else value += line[i];
      }
      if (line[i] !== '"') throw new Error(`unterminated label value at ${where}`);
      if (label in labels) throw new Error(`repeated label at ${where}`);
      labels[label] = value;
      at = i + 1;
      if (line[at] === ',') at += 1;
      else if (line[at] !== '}') throw new Error(`expected , or } at ${where}`);
    }
    at += 1;
  }
  const rest = line.slice(at).split(' ');
  if (rest[0] !== '' || rest.length < 2 || rest.length > 3) throw new Error(`bad value part at ${where}`);
  const raw = rest[1] as string;
  const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : raw === 'NaN' ? NaN : Number(raw);
  if (raw === '' || (Number.isNaN(value) && raw !== 'NaN')) throw new Error(`bad value at ${where}`);
  if (rest[2] !== undefined && !/^-?\d+$/.test(rest[2])) throw new Error(`bad timestamp at ${where}`);
  return { name, labels, value };
}

/** The value of the one sample of `name` whose labels include `labels` (throws when none or several). */
export function valueOf(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const matches = [...families.values()]
    .flatMap((f) => f.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matches.length !== 1) throw new Error(`expected one sample ${name}${JSON.stringify(labels)}, found ${matches.length}`);
  return (matches[0] as Sample).value;
}

/** Like valueOf, but 0 when the series does not exist yet (counters appear on first increment). */
export function valueOrZero(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const found = [...families.values()].flatMap((f) => f.samples).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`expected at most one sample ${name}${JSON.stringify(labels)}, found ${found.length}`);
  return found[0]?.value ?? 0;
}

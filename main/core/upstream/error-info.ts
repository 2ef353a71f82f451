import { STATUS_CODES } from 'node:http';
import { scrubTokens } from '../mask';
import type { UpstreamErrorInfo } from './types';

const MAX_MESSAGE = 500;

function tidy(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const short = oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE - 1)}…` : oneLine;
  return scrubTokens(short);
}

function str(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Code and message from the JSON shapes seen: GitHub Models, Azure (innererror), GitHub REST. */
function fromJson(json: unknown): { code: string | null; message: string | null } | null {
  if (!isRecord(json)) return null;
  const error = json.error;
  if (typeof error === 'string') return { code: str(json.code), message: str(error) };
  if (isRecord(error)) {
    const inner = isRecord(error.innererror) ? error.innererror : null;
    return {
      code: str(error.code) ?? str(inner?.code) ?? str(error.type),
      message: str(error.message) ?? str(error.details) ?? str(inner?.message),
    };
  }
  return { code: str(json.code), message: str(json.message) ?? str(json.detail) ?? str(json.details) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An HTML error page: its <title>, else its <h1>, else its text. */
function fromHtml(text: string): string | null {
  const pick = (tag: string) => new RegExp(`<${tag}[^>]*>([\\s\\S]*?)</${tag}>`, 'i').exec(text)?.[1];
  const raw = pick('title') ?? pick('h1') ?? text;
  const plain = raw
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
  return str(plain.trim());
}

/**
 * What an error answer says, whatever its Content-Type: JSON (also when sent as text/plain),
 * bare text ("403 Forbidden"), HTML 5xx pages, or nothing at all.
 */
export function readErrorInfo(status: number, headers: Record<string, string>, bodyText: string): UpstreamErrorInfo {
  const text = bodyText.trim();
  const headerCode = str(headers['x-ms-error-code']);
  let code: string | null = null;
  let message: string | null = null;

  if (text.startsWith('{') || text.startsWith('[')) {
    const json = parseJson(text);
    const read = fromJson(json);
    if (read) ({ code, message } = read);
    else if (json === undefined) message = text;
  } else if (text.startsWith('<')) {
    message = fromHtml(text);
  } else if (text !== '') {
    message = text;
  }

  return {
    status,
    code: code ?? headerCode,
    message: tidy(message ?? `${status} ${STATUS_CODES[status] ?? 'Unknown status'}`),
  };
}

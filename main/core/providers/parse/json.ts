/** Small readers for error bodies whose shape is not promised. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or a finite number as text; else null. */
export function str(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** The body as JSON, or undefined. A JSON array (Gemini's compat endpoint) yields its first element. */
export function parseBody(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    const json: unknown = JSON.parse(trimmed);
    return Array.isArray(json) ? json[0] : json;
  } catch {
    return undefined;
  }
}

/** `json.error` when it is an object, else the body itself (Cerebras and Mistral put fields at the top). */
export function errorObject(json: unknown): Record<string, unknown> | null {
  if (!isRecord(json)) return null;
  return isRecord(json.error) ? json.error : json;
}

/** The message of an error body, whatever its shape ({error:{message}}, {message}, {error:"…"}). */
export function messageOf(json: unknown): string | null {
  if (!isRecord(json)) return null;
  if (typeof json.error === 'string') return str(json.error);
  return str(errorObject(json)?.message);
}

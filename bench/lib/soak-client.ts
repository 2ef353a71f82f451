import type { Pool } from 'undici';

/**
 * One soak request and the judgement of its answer: a success, a well-formed error (an OpenAI
 * error body, Retry-After on 429s; or, once a stream has begun, an OpenAI `data: {"error":…}`
 * event), or a failure (malformed, or no answer within the deadline).
 */

export type Kind = 'chat' | 'stream' | 'embeddings';

export type Verdict =
  | { outcome: 'ok'; status: 200 }
  | { outcome: 'error'; status: number; code: string | null }
  | { outcome: 'stream-error'; status: 200; code: string | null }
  | { outcome: 'malformed'; status: number; detail: string }
  | { outcome: 'no-answer'; status: number; detail: string };

export interface Answer {
  kind: Kind;
  verdict: Verdict;
  ms: number;
}

const BODIES: Record<Kind, { path: string; body: string }> = {
  chat: { path: '/v1/chat/completions', body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say something.' }] }) },
  stream: { path: '/v1/chat/completions', body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Stream something.' }], stream: true, stream_options: { include_usage: true } }) },
  embeddings: { path: '/v1/embeddings', body: JSON.stringify({ model: 'text-embedding-3-small', input: ['one', 'two'] }) },
};

/** Why an error body is not OpenAI-shaped, or null. */
export function errorShapeProblem(text: string): { problem: string | null; code: string | null } {
  try {
    const error = (JSON.parse(text) as { error?: Record<string, unknown> }).error;
    if (!error || typeof error.message !== 'string' || typeof error.type !== 'string') return { problem: 'no error.message/type', code: null };
    if (!('code' in error) || !('param' in error)) return { problem: 'no error.code/param', code: null };
    return { problem: null, code: typeof error.code === 'string' ? error.code : null };
  } catch {
    return { problem: `not JSON: ${text.slice(0, 100)}`, code: null };
  }
}

function judgeStream(text: string): Verdict {
  const events = text.split('\n\n').filter((e) => e.trim() !== '');
  const last = events.at(-1)?.trim() ?? '';
  if (last === 'data: [DONE]') {
    const content = events.some((e) => e.includes('"delta"'));
    return content ? { outcome: 'ok', status: 200 } : { outcome: 'malformed', status: 200, detail: 'stream without content' };
  }
  if (last.startsWith('data: {"error"')) {
    const { problem, code } = errorShapeProblem(last.slice(6));
    return problem ? { outcome: 'malformed', status: 200, detail: `stream error event: ${problem}` } : { outcome: 'stream-error', status: 200, code };
  }
  return { outcome: 'malformed', status: 200, detail: `stream ended without [DONE] or an error event: ${JSON.stringify(last.slice(0, 100))}` };
}

function judgeJson(kind: Kind, text: string): Verdict {
  try {
    const body = JSON.parse(text) as { choices?: Array<{ message?: { content?: unknown } }>; data?: Array<{ embedding?: unknown }> };
    const ok = kind === 'embeddings' ? Array.isArray(body.data?.[0]?.embedding) : typeof body.choices?.[0]?.message?.content === 'string';
    return ok ? { outcome: 'ok', status: 200 } : { outcome: 'malformed', status: 200, detail: `200 without content: ${text.slice(0, 100)}` };
  } catch {
    return { outcome: 'malformed', status: 200, detail: `200 with a body that is not JSON: ${text.slice(0, 100)}` };
  }
}

export async function soakRequest(pool: Pool, kind: Kind, deadlineMs: number): Promise<Answer> {
  const started = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
  const { path, body } = BODIES[kind];
  let status = 0;
  try {
    const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(deadlineMs) });
    status = res.statusCode;
    const text = await res.body.text();
    if (status === 200) return { kind, verdict: kind === 'stream' ? judgeStream(text) : judgeJson(kind, text), ms: ms() };
    const { problem, code } = errorShapeProblem(text);
    if (problem) return { kind, verdict: { outcome: 'malformed', status, detail: problem }, ms: ms() };
    if (status === 429 && !res.headers['retry-after']) return { kind, verdict: { outcome: 'malformed', status, detail: '429 without Retry-After' }, ms: ms() };
    if (status < 400) return { kind, verdict: { outcome: 'malformed', status, detail: 'unexpected status' }, ms: ms() };
    return { kind, verdict: { outcome: 'error', status, code }, ms: ms() };
  } catch (error) {
    const name = (error as Error).name;
    const detail = name === 'TimeoutError' || name === 'AbortError' ? `no answer within ${deadlineMs} ms` : `${name}: ${(error as Error).message}`;
    return { kind, verdict: { outcome: 'no-answer', status, detail }, ms: ms() };
  }
}

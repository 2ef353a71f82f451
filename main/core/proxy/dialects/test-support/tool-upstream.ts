import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream';

/**
 * For tests: a thin HTTP front for the simulator (which only ever answers text). Every request is
 * passed through to it, except a chat request that offers tools and does not end with a tool
 * result: that one is answered with a call of the first tool (JSON, or an SSE stream whose
 * arguments arrive in fragments, as upstream sends them), and a streamed chat request when a test
 * scripted its answer (`nextStream`). Records each chat body it saw.
 */
export interface ToolUpstream {
  url: string;
  /** Chat bodies as they arrived, oldest first. */
  bodies: Array<Record<string, unknown>>;
  /** Arguments the next tool call carries (JSON text). */
  args: string;
  /**
   * When set, answers the next streamed chat request itself (headers included) and is cleared:
   * for upstream streams the simulator never sends (invalid events, no SSE framing).
   */
  nextStream: ((res: ServerResponse) => Promise<void> | void) | null;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/**
 * Writes one event in two writes 20 ms apart, cut inside its first multi-byte character when it
 * has one (as a network may cut it), else in the middle.
 */
async function sendSplit(res: ServerResponse, data: unknown): Promise<void> {
  const bytes = Buffer.from(`data: ${JSON.stringify(data)}\n\n`);
  const wide = bytes.findIndex((b) => b >= 0xc0);
  const cut = wide >= 0 ? wide + 1 : Math.floor(bytes.length / 2);
  res.write(bytes.subarray(0, cut));
  await new Promise((resolve) => setTimeout(resolve, 20));
  res.write(bytes.subarray(cut));
}

export async function startToolUpstream(simulatorUrl: string): Promise<ToolUpstream> {
  const target = new URL(simulatorUrl);
  const state: ToolUpstream = { url: '', bodies: [], args: '{"city":"Paris","unit":"celsius"}', nextStream: null, close: async () => {} };
  let calls = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const isChat = req.method === 'POST' && (req.url ?? '').includes('/inference/chat/completions');
      const body = isChat ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : null;
      if (body) state.bodies.push(body);
      const messages = (body?.messages ?? []) as Array<{ role: string }>;
      const tools = (body?.tools ?? []) as Array<{ function: { name: string } }>;
      const scripted = body?.stream === true ? state.nextStream : null;
      if (scripted) {
        state.nextStream = null;
        await scripted(res);
        return;
      }
      if (body && tools.length > 0 && messages.at(-1)?.role !== 'tool') {
        calls += 1;
        const name = tools[0]!.function.name;
        const id = `call_stub${calls}`;
        const usage = { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 };
        const base = { id: `chatcmpl-stub${calls}`, object: 'chat.completion.chunk', created: 1, model: body.model };
        if (body.stream === true) {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const send = (data: unknown) => res.write(`data: ${JSON.stringify(data)}\n\n`);
          send({ choices: [], id: '', model: '', object: '', created: 0 });
          send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] }, finish_reason: null }] });
          const half = Math.floor(state.args.length / 2);
          for (const part of [state.args.slice(0, half), state.args.slice(half)]) await sendSplit(res, { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: part } }] }, finish_reason: null }] });
          send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] });
          send({ ...base, choices: [], usage });
          res.end('data: [DONE]\n\n');
          return;
        }
        const completion = {
          id: base.id,
          object: 'chat.completion',
          created: 1,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name, arguments: state.args } }] }, finish_reason: 'tool_calls' }],
          usage,
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
        return;
      }
      const forward = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        // A connection the simulator drops (a reset fault) is dropped here too.
        pipeline(upstream, res, (error) => error && res.destroy());
      });
      forward.on('error', () => res.destroy());
      forward.end(raw);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

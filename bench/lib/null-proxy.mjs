// A reference proxy for the bench: the least any Node.js HTTP proxy does — node:http in, an undici
// pool out (keep-alive), the request body read whole and forwarded, the answer streamed back.
// No validation, routing, accounts, metrics or logs. Usage: node null-proxy.mjs <upstream origin> <token> [upstream chat path]
// Prints "listening <port>" once ready. What Switchyard adds beyond this is Switchyard's own cost.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [upstream, token, chatPath = '/inference/chat/completions'] = process.argv.slice(2);
const pool = new Pool(upstream, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 });
const PATHS = { '/v1/chat/completions': chatPath, '/v1/embeddings': chatPath.replace(/chat\/completions$/, 'embeddings') };

const server = createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const path = PATHS[req.url];
  if (!path) return res.writeHead(404).end();
  try {
    const answer = await pool.request({ path, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
    res.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
    for await (const chunk of answer.body) res.write(chunk);
    res.end();
  } catch {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  }
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => pool.close().then(() => process.exit(0))));

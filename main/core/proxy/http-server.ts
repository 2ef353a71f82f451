import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The node:http server under Fastify, so that even requests Node itself refuses get an
 * OpenAI-shaped answer: a missing Host is judged by the guards (HTTP/1.0 may omit it),
 * and an unknown `Expect` gets a 417 with a body instead of a bare status line.
 */
export function createHttpServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = createServer({ requireHostHeader: false }, handler);
  server.on('checkExpectation', (_req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify({ error: { message: 'Only "Expect: 100-continue" is understood; send the request without that Expect header.', type: 'invalid_request_error', code: 'expectation_failed', param: null } });
    res.writeHead(417, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close' });
    res.end(body);
  });
  return server;
}

/** Bytes Node's HTTP parser could not read (bad request line, headers, lengths): answered in OpenAI's shape, then closed. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const message =
    status === 431
      ? 'The request headers are larger than this server accepts (16 KB).'
      : status === 408
        ? 'The request took too long to arrive.'
        : `The HTTP request could not be parsed (${error.code ?? 'malformed'}). Check the request line, the headers and Content-Length.`;
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', code: 'malformed_http', param: null } });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

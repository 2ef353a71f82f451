// Loaded into the serve child by the soak (`node --expose-gc --import <this file>`): on SIGUSR2 it
// collects garbage (when --expose-gc is on) and writes one line to stderr with the process's
// active handles by type and its memory. It changes nothing else in the process.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const handles = {};
  for (const type of process.getActiveResourcesInfo()) handles[type] = (handles[type] ?? 0) + 1;
  // Where each open TCP socket goes (local port → remote port), to tell a client from an upstream connection.
  const sockets = process
    ._getActiveHandles()
    .filter((h) => h && h.constructor && h.constructor.name === 'Socket' && h.remotePort !== undefined)
    .map((s) => `${s.localPort}->${s.remotePort}`);
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stderr.write(`SWITCHYARD_PROBE ${JSON.stringify({ handles, sockets, rss, heapUsed, external, arrayBuffers })}\n`);
});

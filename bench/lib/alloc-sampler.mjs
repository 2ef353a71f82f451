// Loaded into the serve child (`node --import <this file> …`) to say where heap allocation goes.
// The first SIGUSR2 starts V8's sampling heap profiler (garbage included: objects collected by
// either GC are kept in the samples), the next stops it and writes its summary as one line to stderr:
//   SWITCHYARD_ALLOC_SITES {"totalBytes":…,"sites":[{"frame":…,"bytes":…},…]}
// `sites` are allocation sites by self size (function, file:line), largest first.
import { Session } from 'node:inspector';

const session = new Session();
session.connect();
const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));

let sampling = false;
process.on('SIGUSR2', async () => {
  if (!sampling) {
    sampling = true;
    await post('HeapProfiler.enable');
    await post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    process.stderr.write('SWITCHYARD_ALLOC_STARTED\n');
    return;
  }
  sampling = false;
  const { profile } = await post('HeapProfiler.stopSampling');
  const bySite = new Map();
  let totalBytes = 0;
  const walk = (node) => {
    const self = node.selfSize ?? 0;
    if (self > 0) {
      const f = node.callFrame;
      const short = (f.url || '').replace(/^file:\/\//, '').replace(/^.*node_modules\//, '').replace(/^.*\/(dist|main)\//, '$1/');
      const frame = `${f.functionName || '(anonymous)'} ${short}:${f.lineNumber + 1}`;
      bySite.set(frame, (bySite.get(frame) ?? 0) + self);
      totalBytes += self;
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(profile.head);
  const sites = [...bySite.entries()].sort((a, b) => b[1] - a[1]).slice(0, 60).map(([frame, bytes]) => ({ frame, bytes }));
  process.stderr.write(`SWITCHYARD_ALLOC_SITES ${JSON.stringify({ totalBytes, sites })}\n`);
});

// Loaded into a benched process (`node --import <this file> …`: the serve child, the minimal proxy).
// The first SIGUSR2 starts counting, the next stops and writes one line to stderr:
//   SWITCHYARD_ALLOC {"bytes":…,"gcs":…,"gcMs":…,"scavenges":…}
// `bytes` is what the JavaScript heap allocated in between: the heap's growth between collections
// plus what each collection found in use before it ran (v8.GCProfiler's before/after statistics),
// so it counts garbage too. Buffers' backing stores live outside the heap and are not counted.
// Nothing runs between the signals except V8's own per-GC bookkeeping.
import v8 from 'node:v8';

let profiler = null;
let startUsed = 0;
process.on('SIGUSR2', () => {
  if (!profiler) {
    profiler = new v8.GCProfiler();
    startUsed = v8.getHeapStatistics().used_heap_size;
    profiler.start();
    process.stderr.write('SWITCHYARD_ALLOC_STARTED\n');
    return;
  }
  const endUsed = v8.getHeapStatistics().used_heap_size;
  const { statistics } = profiler.stop();
  profiler = null;
  let bytes = 0;
  let last = startUsed;
  let gcUs = 0;
  let scavenges = 0;
  for (const gc of statistics) {
    bytes += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - last);
    last = gc.afterGC.heapStatistics.usedHeapSize;
    gcUs += gc.cost;
    if (gc.gcType === 'Scavenge' || gc.gcType === 'MinorMarkSweep' || gc.gcType === 'MinorMarkCompact') scavenges++;
  }
  bytes += Math.max(0, endUsed - last);
  process.stderr.write(`SWITCHYARD_ALLOC ${JSON.stringify({ bytes, gcs: statistics.length, scavenges, gcMs: Math.round(gcUs) / 1000 })}\n`);
});

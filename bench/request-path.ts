// Which of Switchyard's source files one request runs code in (issue 10: "a chat request's path
// through pool/ and proxy/ visits at most about 10 files").
//
//   npm run bench:path                 a non-streamed chat request, a streamed one, an embeddings request refused
//   npm run bench:path -- --functions  also name the functions that ran in each file, with their call counts
//
// The engine runs in this process from its sources, in front of the simulator speaking Groq's dialect
// (one account), with the official `openai` SDK as client. After a warm-up, V8's precise coverage with
// call counts is taken around one request: a file is on the path when a function in it ran during
// that request. Timers that happen to fire meanwhile (snapshot push, state save) would show up too, so
// each request is measured three times and a file counts only when it ran in every one of them.
import { Session } from 'node:inspector/promises';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { startProviderHarness } from '../main/core/test-support/provider-harness';

const root = fileURLToPath(new URL('..', import.meta.url));
const MODEL = 'groq/llama-3.3-70b-versatile';
const REPEATS = 3;

const showFunctions = process.argv.includes('--functions');

/** Calls per file, and per "file › function" when --functions is given. */
type Counts = Map<string, number>;

async function callCounts(session: Session): Promise<Counts> {
  const { result } = await session.post('Profiler.takePreciseCoverage');
  const counts: Counts = new Map();
  for (const script of result) {
    if (!script.url.startsWith('file://')) continue;
    const file = relative(root, fileURLToPath(script.url));
    if (!file.startsWith('main/') && !file.startsWith('shared/')) continue;
    let calls = 0;
    // The first range of each function is the whole function; its count is how often it was called.
    for (const fn of script.functions) {
      const count = fn.ranges[0]?.count ?? 0;
      calls += count;
      if (showFunctions && fn.functionName) counts.set(`${file} › ${fn.functionName}`, (counts.get(`${file} › ${fn.functionName}`) ?? 0) + count);
    }
    counts.set(file, (counts.get(file) ?? 0) + calls);
  }
  return counts;
}

/** The files whose functions ran between two readings. */
function ran(before: Counts, after: Counts): Set<string> {
  const files = new Set<string>();
  for (const [file, calls] of after) if (calls > (before.get(file) ?? 0)) files.add(file);
  return files;
}

interface Path {
  files: string[];
  /** "file › function" → calls during the last measured request (with --functions). */
  functions: Map<string, number>;
}

async function pathOf(session: Session, request: () => Promise<unknown>): Promise<Path> {
  let common = null as Set<string> | null;
  const functions = new Map<string, number>();
  for (let i = 0; i < REPEATS; i++) {
    const before = await callCounts(session);
    await request();
    const after = await callCounts(session);
    const files = ran(before, after);
    common = common ? new Set([...common].filter((f) => files.has(f))) : files;
    functions.clear();
    for (const [name, calls] of after) if (name.includes(' › ') && calls > (before.get(name) ?? 0)) functions.set(name, calls - (before.get(name) ?? 0));
  }
  const files = [...(common ?? [])].filter((f) => !f.includes(' › ') && !f.startsWith('main/simulator/') && !f.startsWith('main/core/test-support/')).sort();
  return { files, functions };
}

function print(name: string, { files, functions }: Path): { poolProxy: number; all: number } {
  const inPoolProxy = files.filter((f) => f.startsWith('main/core/pool/') || f.startsWith('main/core/proxy/'));
  process.stdout.write(`\n${name}: ${files.length} files of main/ and shared/ ran code; ${inPoolProxy.length} of them in main/core/pool/ and main/core/proxy/\n`);
  for (const f of files) {
    process.stdout.write(`  ${inPoolProxy.includes(f) ? '*' : ' '} ${f}\n`);
    if (!showFunctions) continue;
    const here = [...functions].filter(([key]) => key.startsWith(`${f} › `)).map(([key, calls]) => `${key.slice(f.length + 3)} ×${calls}`);
    if (here.length) process.stdout.write(`        ${here.join(', ')}\n`);
  }
  return { poolProxy: inPoolProxy.length, all: files.length };
}

const h = await startProviderHarness(
  { keys: [{ provider: 'groq', key: 'gsk_path1', owner: 'org_path' }], providers: {} },
  { GROQ_API_KEY: 'gsk_path1' },
  [MODEL],
);
const client: OpenAI = h.client;
const chat = () => client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
const stream = async () => {
  const s = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true });
  for await (const _ of s) void _;
};
const embed = () => client.embeddings.create({ model: 'groq/llama-3.3-70b-versatile', input: 'hi' }).catch(() => undefined);
try {
  for (let i = 0; i < 20; i++) await chat(); // warm-up: first-use paths (catalog waits, lazy loads) are not the request's path
  await stream();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  const chatFiles = print('Non-streamed chat completion', await pathOf(session, chat));
  print('Streamed chat completion', await pathOf(session, stream));
  print('Embeddings request for a chat-only model (answered 400 before upstream)', await pathOf(session, embed));
  await session.post('Profiler.stopPreciseCoverage');
  session.disconnect();
  process.stdout.write(`\nTarget (issue 10): a non-streamed chat request visits at most about 10 files of pool/ and proxy/: ${chatFiles.poolProxy} (${chatFiles.poolProxy <= 10 ? 'met' : 'not met'}).\n`);
} finally {
  await h.close();
}

import { createParser } from 'eventsource-parser';
import { startSimulator } from '../../../../simulator';
import { ALICE, BOB, startHarness, type Harness, type HarnessOptions } from '../../../test-support/harness';
import { startToolUpstream, type ToolUpstream } from './tool-upstream';

export interface DialectHarness extends Harness {
  /** The front that answers tool calls and passes the rest to the simulator. */
  tools: ToolUpstream;
}

/** The real engine in front of the simulator, with the tool-calling front between them. */
export async function startDialectHarness(options: HarnessOptions = {}): Promise<DialectHarness> {
  const sim = await startSimulator({ users: options.users ?? [ALICE, BOB], ...options.simulator });
  const tools = await startToolUpstream(sim.url);
  const h = await startHarness({ ...options, sim, env: { GITHUB_MODELS_BASE_URL: tools.url, ...options.env } });
  return {
    ...h,
    tools,
    async close(closeOptions) {
      await h.close({ ...closeOptions, keepSim: true });
      await tools.close();
      if (!closeOptions?.keepSim) await sim.close();
    },
  };
}

export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Every event of an SSE response body, in order. */
export async function readEvents(response: Response): Promise<SseEvent[]> {
  const events: SseEvent[] = [];
  const parser = createParser({ onEvent: (e) => events.push({ event: e.event, data: e.data }) });
  parser.feed(await response.text());
  return events;
}

export const postJson = (origin: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Reads a Server-Sent Events body (from `fetch`, so headers such as Authorization can be sent,
 * which `EventSource` cannot do) and calls `onMessage` for each complete event.
 * Resolves when the server ends the stream; rejects when reading fails or is aborted.
 */
export async function readSseStream(
  body: ReadableStream<Uint8Array>,
  onMessage: (message: EventSourceMessage) => void,
  onRetry?: (ms: number) => void,
): Promise<void> {
  const parser = createParser({ onEvent: onMessage, onRetry });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    const rest = decoder.decode();
    if (rest) parser.feed(rest);
  } finally {
    reader.releaseLock();
  }
}

import { chatDialect } from './chat';
import { embeddingsDialect } from './embeddings';
import { messagesDialect } from './messages';
import { responsesDialect } from './responses';
import { ResponseStore } from './responses-store';
import type { Dialect } from './types';

/** Every client API Switchyard answers; routes are registered from this list. One store of Responses per app. */
export function createDialects(): Dialect<never>[] {
  return [chatDialect, embeddingsDialect, responsesDialect(new ResponseStore()), messagesDialect] as Dialect<never>[];
}

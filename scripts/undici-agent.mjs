// undici's Agent with the request API, as the engine uses it, loaded without undici's index:
// the index also loads fetch, WebSocket, EventSource, the caches, the mocks and every interceptor,
// which the engine never uses, for ≈ 2.5 × the start-up CPU (README, "Performance and proof").
// This is what undici's index does for these two pieces (`Object.assign(Dispatcher.prototype, api)`);
// scripts/undici-agent.test.ts checks that it gives the very same Agent class, with `request`.
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';

if (typeof Dispatcher.prototype.request !== 'function') Object.assign(Dispatcher.prototype, api);

export { Agent };

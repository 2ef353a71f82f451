/** One server-sent event with a named type, as OpenAI's Responses API and Anthropic's Messages API frame them. */
export const sseEvent = (type: string, data: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

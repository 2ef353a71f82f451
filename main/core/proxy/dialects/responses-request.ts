import { z } from 'zod';
import { badRequest } from '../../errors';
import type { CatalogModel } from '../../upstream/types';
import { modelField } from '../guards';
import type { ChatContentPart, ChatMessage, ChatToolCall } from './chat-shapes';
import { userContent } from './chat-shapes';

/** OpenAI's Responses API request (POST /v1/responses), as Codex CLI and Cursor send it. */

const item = z.looseObject({ type: z.string().optional(), role: z.string().optional() });

export const responsesRequestSchema = z
  .object({
    model: modelField,
    input: z.union([z.string(), z.array(item)], { error: 'input must be a string or an array of input items.' }),
    instructions: z.string({ error: 'instructions must be a string.' }).nullish(),
    tools: z.array(z.looseObject({ type: z.string({ error: 'each tool needs a type, e.g. "function".' }) }), { error: 'tools must be an array.' }).nullish(),
    tool_choice: z
      .union([z.enum(['auto', 'none', 'required']), z.looseObject({ type: z.string(), name: z.string().optional() })], { error: 'tool_choice must be "auto", "none", "required" or {"type":"function","name":…}.' })
      .nullish(),
    parallel_tool_calls: z.boolean({ error: 'parallel_tool_calls must be true or false.' }).nullish(),
    text: z
      .looseObject({
        format: z
          .looseObject({ type: z.enum(['text', 'json_schema', 'json_object'], { error: 'text.format.type must be "text", "json_schema" or "json_object".' }), name: z.string().optional(), schema: z.unknown().optional(), strict: z.boolean().nullish() })
          .nullish(),
      })
      .nullish(),
    max_output_tokens: z.number({ error: 'max_output_tokens must be a positive integer.' }).int().positive().nullish(),
    temperature: z.number({ error: 'temperature must be a number.' }).min(0).max(2).nullish(),
    top_p: z.number({ error: 'top_p must be a number.' }).min(0).max(1).nullish(),
    reasoning: z.looseObject({ effort: z.string().nullish() }).nullish(),
    store: z.boolean({ error: 'store must be true or false.' }).nullish(),
    previous_response_id: z.string({ error: 'previous_response_id must be a string.' }).min(1).nullish(),
    stream: z.boolean({ error: 'stream must be true or false.' }).nullish(),
  })
  .loose();

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
type InputItem = z.infer<typeof item> & Record<string, unknown>;

/** Names of the request's `custom` (freeform) tools: their calls come back as custom_tool_call items. */
export function customToolNames(request: ResponsesRequest): Set<string> {
  return new Set((request.tools ?? []).filter((t) => t.type === 'custom').map((t) => String(t.name)));
}

/** The conversation of the request's own input, as chat messages (no instructions). */
export function inputMessages(request: ResponsesRequest): ChatMessage[] {
  if (typeof request.input === 'string') return [{ role: 'user', content: request.input }];
  const messages: ChatMessage[] = [];
  request.input.forEach((entry, index) => addItem(messages, entry as InputItem, index));
  return messages;
}

function addItem(messages: ChatMessage[], entry: InputItem, index: number): void {
  const type = entry.type ?? (entry.role ? 'message' : undefined);
  switch (type) {
    case 'message':
      messages.push(messageOf(entry, index));
      return;
    case 'function_call':
    case 'custom_tool_call': {
      const callId = requireString(entry.call_id, `input.${index}.call_id`);
      const name = requireString(entry.name, `input.${index}.name`);
      const args = type === 'function_call' ? requireString(entry.arguments ?? '', `input.${index}.arguments`) : JSON.stringify({ content: String(entry.input ?? '') });
      const call: ChatToolCall = { id: callId, type: 'function', function: { name, arguments: args } };
      const last = messages.at(-1);
      // Consecutive calls are one assistant turn with several tool_calls (split, the results are refused).
      if (last?.role === 'assistant') (last.tool_calls ??= []).push(call);
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
      return;
    }
    case 'function_call_output':
    case 'custom_tool_call_output':
      messages.push({ role: 'tool', tool_call_id: requireString(entry.call_id, `input.${index}.call_id`), content: outputText(entry.output) });
      return;
    case 'reasoning':
    case 'local_shell_call':
    case 'local_shell_call_output':
    case 'web_search_call':
    case 'image_generation_call':
    case 'compaction':
    case 'ghost_snapshot':
      return; // opaque to a chat upstream, or a tool call it cannot have made
    case 'item_reference':
      throw badRequest(`input.${index} is an item_reference; Switchyard keeps no items by id. Send the item itself.`, 'unsupported_value', `input.${index}`);
    default:
      throw badRequest(`input.${index} has the type '${String(type)}', which Switchyard cannot carry over chat completions. It takes message, function_call, function_call_output, custom_tool_call(_output) and reasoning items.`, 'invalid_value', `input.${index}.type`);
  }
}

function messageOf(entry: InputItem, index: number): ChatMessage {
  const role = entry.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system' && role !== 'developer') {
    throw badRequest(`input.${index}.role must be user, assistant, system or developer.`, 'invalid_value', `input.${index}.role`);
  }
  const parts = contentParts(entry.content, `input.${index}.content`);
  if (role === 'user') return { role, content: userContent(parts) };
  const text = parts.map((p) => (p.type === 'text' ? p.text : '')).join('\n');
  return { role: role === 'developer' ? 'system' : role, content: text };
}

function contentParts(content: unknown, param: string): ChatContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw badRequest(`${param} must be a string or an array of content parts.`, 'invalid_value', param);
  return content.map((part: Record<string, unknown>, i) => {
    switch (part?.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        return { type: 'text', text: String(part.text ?? '') };
      case 'refusal':
        return { type: 'text', text: String(part.refusal ?? '') };
      case 'input_image': {
        const url = typeof part.image_url === 'string' ? part.image_url : null;
        if (!url) throw badRequest(`${param}.${i}.image_url must be a URL or a data: URL (file_id images are not supported).`, 'invalid_value', `${param}.${i}.image_url`);
        return { type: 'image_url', image_url: { url, ...(typeof part.detail === 'string' ? { detail: part.detail } : {}) } };
      }
      default:
        throw badRequest(`${param}.${i} has the type '${String(part?.type)}'; Switchyard carries input_text, output_text and input_image parts.`, 'invalid_value', `${param}.${i}.type`);
    }
  });
}

/** A tool's output: a string, or input_text/input_image parts (images cannot travel in a chat tool message). */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (!Array.isArray(output)) return JSON.stringify(output ?? '');
  return output.map((part: Record<string, unknown>) => (part?.type === 'input_image' ? '[image omitted: tool images cannot be sent to a chat-completions upstream]' : String(part?.text ?? ''))).join('\n');
}

function requireString(value: unknown, param: string): string {
  if (typeof value !== 'string') throw badRequest(`Missing required parameter: '${param}'.`, 'missing_required_parameter', param);
  return value;
}

/** Function and custom tools become chat function tools; built-in tools (web_search, local_shell, …) have no chat form and are left out. */
function chatTools(request: ResponsesRequest): Record<string, unknown>[] {
  const tools: Record<string, unknown>[] = [];
  for (const tool of request.tools ?? []) {
    if (tool.type === 'function') {
      tools.push({ type: 'function', function: { name: tool.name, ...(tool.description ? { description: tool.description } : {}), parameters: tool.parameters ?? { type: 'object', properties: {} }, ...(typeof tool.strict === 'boolean' ? { strict: tool.strict } : {}) } });
    } else if (tool.type === 'custom') {
      const format = tool.format as { type?: string; syntax?: string; definition?: string } | undefined;
      const grammar = format?.type === 'grammar' && format.definition ? `\n\nFormat (${format.syntax ?? 'grammar'}):\n\`\`\`\n${format.definition}\n\`\`\`` : '';
      tools.push({
        type: 'function',
        function: {
          name: tool.name,
          description: `${String(tool.description ?? '')}${grammar}\n\nPut the raw input in the "content" argument.`,
          parameters: { type: 'object', properties: { content: { type: 'string' } }, required: ['content'] },
        },
      });
    }
  }
  return tools;
}

function chatToolChoice(choice: ResponsesRequest['tool_choice']): unknown {
  if (choice === null || choice === undefined) return undefined;
  if (typeof choice === 'string') return choice;
  if ((choice.type === 'function' || choice.type === 'custom') && choice.name) return { type: 'function', function: { name: choice.name } };
  return 'auto';
}

function responseFormat(format: NonNullable<ResponsesRequest['text']>['format']): unknown {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: format.name ?? 'output', schema: format.schema ?? {}, ...(typeof format.strict === 'boolean' ? { strict: format.strict } : {}) } };
}

/** The upstream chat-completions body: instructions first, then history, then this input. */
export function chatBody(request: ResponsesRequest, model: CatalogModel, history: ChatMessage[]): Record<string, unknown> {
  const messages: ChatMessage[] = [...(request.instructions ? [{ role: 'system' as const, content: request.instructions }] : []), ...history, ...inputMessages(request)];
  if (messages.length === 0) throw badRequest('input must contain at least one item.', 'invalid_value', 'input');
  const tools = chatTools(request);
  const body: Record<string, unknown> = { model: model.id, messages };
  if (tools.length) {
    body.tools = tools;
    const choice = chatToolChoice(request.tool_choice);
    if (choice !== undefined) body.tool_choice = choice;
    if (typeof request.parallel_tool_calls === 'boolean') body.parallel_tool_calls = request.parallel_tool_calls;
  }
  const format = responseFormat(request.text?.format);
  if (format) body.response_format = format;
  if (request.max_output_tokens) body.max_tokens = request.max_output_tokens;
  if (typeof request.temperature === 'number') body.temperature = request.temperature;
  if (typeof request.top_p === 'number') body.top_p = request.top_p;
  // Passed only to models that reason; the others would refuse the field.
  if (request.reasoning?.effort && model.capabilities?.includes('reasoning')) body.reasoning_effort = request.reasoning.effort;
  if (request.stream) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  return body;
}

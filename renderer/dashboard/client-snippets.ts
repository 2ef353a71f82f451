import type { ProxyView } from '../../shared/snapshot';

export type SnippetKind = 'python' | 'node' | 'curl' | 'codex' | 'claude';

export const SNIPPET_LABEL: Record<SnippetKind, string> = {
  python: 'OpenAI SDK (Python)',
  node: 'OpenAI SDK (Node)',
  curl: 'curl',
  codex: 'Codex CLI',
  claude: 'Claude Code',
};

const MODEL = 'gpt-4o-mini';

/** Ready-to-paste client code pointing at the proxy (the key itself is never written in). */
export function clientSnippet(kind: SnippetKind, proxy: Pick<ProxyView, 'baseUrl' | 'apiKeyRequired'>): string {
  const { baseUrl, apiKeyRequired } = proxy;
  switch (kind) {
    case 'python':
      return [
        ...(apiKeyRequired ? ['import os'] : []),
        'from openai import OpenAI',
        '',
        'client = OpenAI(',
        `    base_url="${baseUrl}",`,
        `    api_key=${apiKeyRequired ? 'os.environ["SWITCHYARD_API_KEY"]' : '"unused"'},`,
        ')',
        'reply = client.chat.completions.create(',
        `    model="${MODEL}",`,
        '    messages=[{"role": "user", "content": "Hello"}],',
        ')',
        'print(reply.choices[0].message.content)',
      ].join('\n');
    case 'node':
      return [
        "import OpenAI from 'openai';",
        '',
        'const client = new OpenAI({',
        `  baseURL: '${baseUrl}',`,
        `  apiKey: ${apiKeyRequired ? 'process.env.SWITCHYARD_API_KEY' : "'unused'"},`,
        '});',
        'const reply = await client.chat.completions.create({',
        `  model: '${MODEL}',`,
        "  messages: [{ role: 'user', content: 'Hello' }],",
        '});',
        'console.log(reply.choices[0].message.content);',
      ].join('\n');
    case 'curl':
      return [
        `curl ${baseUrl}/chat/completions \\`,
        '  -H "Content-Type: application/json" \\',
        ...(apiKeyRequired ? ['  -H "Authorization: Bearer $SWITCHYARD_API_KEY" \\'] : []),
        `  -d '{"model": "${MODEL}",`,
        `       "messages": [{"role": "user", "content": "Hello"}]}'`,
      ].join('\n');
    case 'codex':
      return [
        '# ~/.codex/config.toml (Responses API)',
        `model = "${MODEL}"`,
        'model_provider = "switchyard"',
        '',
        '[model_providers.switchyard]',
        'name = "Switchyard"',
        `base_url = "${baseUrl}"`,
        'env_key = "SWITCHYARD_KEY"',
        'wire_api = "responses"',
        '',
        apiKeyRequired ? '# then: export SWITCHYARD_KEY=<client key>' : '# then: export SWITCHYARD_KEY=unused',
      ].join('\n');
    case 'claude':
      return [
        '# Claude Code (Anthropic Messages API)',
        `export ANTHROPIC_BASE_URL=${baseUrl.replace(/\/v1\/?$/, '')}`,
        apiKeyRequired ? 'export ANTHROPIC_AUTH_TOKEN="$SWITCHYARD_API_KEY"' : 'export ANTHROPIC_AUTH_TOKEN=unused',
        `export ANTHROPIC_MODEL=${MODEL}`,
        'claude',
      ].join('\n');
  }
}

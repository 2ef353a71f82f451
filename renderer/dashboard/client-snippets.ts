import type { ProxyView } from '../../shared/snapshot';

export type SnippetKind = 'python' | 'node' | 'curl';

export const SNIPPET_LABEL: Record<SnippetKind, string> = {
  python: 'OpenAI SDK (Python)',
  node: 'OpenAI SDK (Node)',
  curl: 'curl',
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
  }
}

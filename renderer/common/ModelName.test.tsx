import '../test-support/setup';
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ModelName } from './ModelName';

describe('ModelName', () => {
  it('offers a line break only after each "/", keeping every name whole', () => {
    const { container } = render(<ModelName id="openrouter/meta-llama/llama-3.3-70b-instruct:free" />);
    const name = container.querySelector('.model-name')!;
    expect(name).toHaveTextContent(/^openrouter\/meta-llama\/llama-3\.3-70b-instruct:free$/);
    expect([...name.querySelectorAll('.model-segment')].map((s) => s.textContent)).toEqual(['openrouter/', 'meta-llama/', 'llama-3.3-70b-instruct:free']);
    expect(name.querySelectorAll('wbr')).toHaveLength(2);
  });
});

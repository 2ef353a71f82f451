import '../test-support/setup';
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionNotice } from './ConnectionNotice';

describe('ConnectionNotice', () => {
  it('stays quiet while live updates flow', () => {
    const { container } = render(<ConnectionNotice connection={{ state: 'open' }} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('says the page may be stale and counts down to the next attempt', () => {
    vi.useFakeTimers();
    vi.setSystemTime(10_000);
    render(<ConnectionNotice connection={{ state: 'retrying', retryAt: 14_000, reason: 'Lost the connection to Switchyard.' }} />);
    expect(screen.getByRole('status')).toHaveTextContent('Lost the connection to Switchyard. What you see may be out of date. Reconnecting in 4 s…');
    act(() => vi.advanceTimersByTime(4_000));
    expect(screen.getByRole('status')).toHaveTextContent('Reconnecting now…');
  });

  it('explains a refused key as an alert', () => {
    render(<ConnectionNotice connection={{ state: 'refused', reason: 'Switchyard refused the dashboard’s admin key.' }} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Switchyard refused the dashboard’s admin key. Live updates are off.');
  });
});

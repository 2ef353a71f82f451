import { describe, expect, it } from 'vitest';
import { fitFrame, truncateLine } from './watch-view';

describe('fitting the watch frame to the terminal', () => {
  it('cuts a long line to the width with an ellipsis and leaves short ones alone', () => {
    expect(truncateLine('abcdefghij', 10)).toBe('abcdefghij');
    expect(truncateLine('abcdefghijk', 10)).toBe('abcdefghi…');
    expect(truncateLine('a→b', 3)).toBe('a→b');
  });

  it('never counts colour codes and closes a colour it cut', () => {
    const red = '\x1b[31minvalid\x1b[0m';
    expect(truncateLine(`ab ${red}`, 10)).toBe(`ab ${red}`);
    expect(truncateLine(`ab ${red} and more`, 8)).toBe('ab \x1b[31minva…\x1b[0m');
    expect(truncateLine(`ab ${red} and more`, 13)).toBe(`ab ${red} a…`);
  });

  it('keeps the header: lines beyond the rows go from the bottom', () => {
    const frame = 'header\nrow 1\nrow 2\nrow 3\n';
    expect(fitFrame(frame, { rows: 2 })).toBe('header\nrow 1\n');
    expect(fitFrame(frame, {})).toBe(frame);
    expect(fitFrame('a very long header\nok\n', { columns: 6 })).toBe('a ver…\nok\n');
  });
});

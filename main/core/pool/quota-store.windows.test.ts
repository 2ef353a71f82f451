import { describe, expect, it } from 'vitest';
import { addTo, countIn, emptyWindow, MINUTE_MS, takeFrom, windowEnd } from './quota-store';

describe('windows', () => {
  it('opens at the first counted request and lasts its length', () => {
    const w = emptyWindow();
    addTo(w, 1_000, MINUTE_MS);
    addTo(w, 30_000, MINUTE_MS);
    expect(countIn(w, 60_999, MINUTE_MS)).toBe(2);
    expect(windowEnd(w, 60_999, MINUTE_MS)).toBe(61_000);
    expect(countIn(w, 61_000, MINUTE_MS)).toBe(0);
    expect(windowEnd(w, 61_000, MINUTE_MS)).toBeNull();
  });

  it('starts a new window after the old one ends', () => {
    const w = emptyWindow();
    addTo(w, 0, MINUTE_MS, 5);
    addTo(w, 70_000, MINUTE_MS);
    expect(w.start).toBe(70_000);
    expect(countIn(w, 70_001, MINUTE_MS)).toBe(1);
  });

  it('takes back from the open window only, never below zero', () => {
    const w = emptyWindow();
    addTo(w, 0, MINUTE_MS);
    takeFrom(w, 10, MINUTE_MS, 3);
    expect(countIn(w, 10, MINUTE_MS)).toBe(0);
    addTo(w, 20, MINUTE_MS, 2);
    takeFrom(w, MINUTE_MS + 5, MINUTE_MS);
    expect(w.count).toBe(2);
  });
});

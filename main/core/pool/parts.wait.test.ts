import { describe, expect, it } from 'vitest';
import { Waker } from './parts';
import { VirtualClock } from './test-support/virtual-clock';

describe('Waker', () => {
  it('wakes the waiters of one model, of one provider, or all; the others sleep on; size counts who waits', async () => {
    const clock = new VirtualClock();
    const waker = new Waker(clock);
    const signal = new AbortController().signal;
    const woke: string[] = [];
    const wait = (name: string, provider: string, model: string) => void waker.wait(60_000, signal, provider, model).then(() => woke.push(name));
    wait('groq/a', 'groq', 'a');
    wait('groq/a 2', 'groq', 'a');
    wait('groq/b', 'groq', 'b');
    wait('cerebras/a', 'cerebras', 'a');
    expect(waker.size).toBe(4);

    waker.wake('groq', 'a');
    await clock.advance(0);
    expect(woke.sort()).toEqual(['groq/a', 'groq/a 2']);
    expect(waker.size).toBe(2);

    waker.wake('groq');
    await clock.advance(0);
    expect(woke).toContain('groq/b');
    expect(woke).not.toContain('cerebras/a');
    expect(waker.size).toBe(1);

    waker.wake('nvidia');
    waker.wake('cerebras', 'other');
    await clock.advance(0);
    expect(waker.size).toBe(1);
    waker.wakeAll();
    await clock.advance(0);
    expect(woke).toContain('cerebras/a');
    expect(waker.size).toBe(0);
  });

  it('a waiter not woken ends at its time; an aborted one rejects with its reason', async () => {
    const clock = new VirtualClock();
    const waker = new Waker(clock);
    let done = false;
    void waker.wait(1_000, new AbortController().signal, 'groq', 'a').then(() => (done = true));
    waker.wake('groq', 'b');
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
    const stop = new AbortController();
    const waiting = waker.wait(60_000, stop.signal, 'groq', 'a');
    stop.abort(new Error('client gone'));
    await expect(waiting).rejects.toThrow('client gone');
    expect(waker.size).toBe(0);
  });
});

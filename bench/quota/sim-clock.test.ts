import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SimClock } from './sim-clock';

describe('SimClock', () => {
  it('moves time only when run() takes the next timer, in time order, ties first come first', async () => {
    const clock = new SimClock(1_000);
    const seen: Array<[string, number]> = [];
    const note = (name: string) => () => seen.push([name, clock.now()]);
    clock.at(1_500, note('c'));
    clock.at(1_200, note('a'));
    clock.at(1_200, note('b'));
    void clock.sleep(400).then(note('sleep'));
    expect(clock.now()).toBe(1_000);
    expect(await clock.run()).toBe(1_500);
    expect(seen).toEqual([
      ['a', 1_200],
      ['b', 1_200],
      ['sleep', 1_400],
      ['c', 1_500],
    ]);
  });

  it('lets work woken at T finish before a timer at T + 1 fires, streams included', async () => {
    const clock = new SimClock(0);
    const log: string[] = [];
    clock.at(10, async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of Readable.from([Buffer.from('a'), Buffer.from('b')])) chunks.push(chunk as Buffer);
      await Promise.resolve();
      log.push(`read ${Buffer.concat(chunks).toString()} at ${clock.now()}`);
      await clock.sleep(5);
      log.push(`slept to ${clock.now()}`);
    });
    clock.at(11, () => log.push(`timer at ${clock.now()}`));
    await clock.run();
    expect(log).toEqual(['read ab at 10', 'timer at 11', 'slept to 15']);
  });

  it('drops an aborted sleep: it rejects with the reason and time does not go to it', async () => {
    const clock = new SimClock(0);
    const stop = new AbortController();
    const outcome = clock.sleep(60_000, stop.signal).then(
      () => 'resolved',
      (err: unknown) => `rejected: ${String(err)}`,
    );
    clock.at(5, () => stop.abort('hung up'));
    expect(await clock.run()).toBe(5);
    expect(await outcome).toBe('rejected: hung up');
  });

  it('stops at `until`, keeping later timers', async () => {
    const clock = new SimClock(0);
    const fired: number[] = [];
    for (const t of [10, 20, 30]) clock.at(t, () => fired.push(t));
    await clock.run(25);
    expect(fired).toEqual([10, 20]);
    await clock.run();
    expect(fired).toEqual([10, 20, 30]);
  });
});

describe('SimClock.stop', () => {
  it('ends a run at its next step; later timers do not fire', async () => {
    const clock = new SimClock(0);
    const fired: number[] = [];
    clock.at(10, () => {
      fired.push(clock.now());
      clock.stop();
    });
    clock.at(20, () => fired.push(clock.now()));
    expect(await clock.run()).toBe(10);
    expect(fired).toEqual([10]);
  });
});

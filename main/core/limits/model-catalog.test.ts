import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../clock';
import { UpstreamHttpError, type CatalogModel, type UpstreamClient } from '../upstream/types';
import { bundledCatalogModels, createCatalogService, DEFAULT_CATALOG_REFRESH_MS } from './model-catalog';

const live: CatalogModel[] = [
  { id: 'openai/gpt-9', name: 'GPT-9', publisher: 'openai', rate_limit_tier: 'high' },
  { id: 'openai/gpt-4o-mini', name: 'GPT-4o mini', publisher: 'openai', rate_limit_tier: 'low' },
];

const clock: Clock = { now: () => 1_700_000_000_000, sleep: () => Promise.resolve() };

type ListCatalog = UpstreamClient['listCatalog'];

function upstream(...answers: Array<CatalogModel[] | Error>) {
  const listCatalog = vi.fn<ListCatalog>(async () => {
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return { listCatalog };
}

const unauthorized = () => new UpstreamHttpError(401, { status: 401, code: 'unauthorized', message: 'Bad credentials' });

describe('catalog service', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts from the bundled snapshot and switches to the live catalog fetched at start', async () => {
    const fake = upstream(live);
    const service = createCatalogService({ upstream: fake, tokenProvider: () => 'gho_token', clock, refreshMs: 1000 });
    expect(service.source).toBe('bundled');
    expect(service.fetchedAt).toBeNull();
    expect(service.current().list()).toHaveLength(bundledCatalogModels().length);
    await service.ready;
    expect(fake.listCatalog).toHaveBeenCalledTimes(1);
    expect(fake.listCatalog.mock.calls[0]![0]).toBe('gho_token');
    expect(service.source).toBe('live');
    expect(service.fetchedAt).toBe(clock.now());
    const resolved = service.current().resolve('gpt-9');
    expect(resolved.ok && resolved.model.id).toBe('openai/gpt-9');
    service.close();
  });

  it('keeps the bundled catalog when the fetch fails, and records why', async () => {
    const warn = vi.fn();
    const service = createCatalogService({
      upstream: upstream(unauthorized()),
      tokenProvider: () => null,
      logger: { info: vi.fn(), warn },
    });
    await service.ready;
    expect(service.source).toBe('bundled');
    expect(service.lastError).toBe('GitHub answered 401: Bad credentials');
    expect(warn).toHaveBeenCalledTimes(1);
    const resolved = service.current().resolve('gpt-4o-mini');
    expect(resolved.ok && resolved.model.id).toBe('openai/gpt-4o-mini');
    service.close();
  });

  it('a 410 retirement answer retires the provider; once retired, nothing more is fetched', async () => {
    const gone = new UpstreamHttpError(410, { status: 410, code: 'github_models_retirement_brownout', message: 'GitHub Models is temporarily unavailable as part of a scheduled retirement brownout.' });
    const fake = upstream(gone);
    let retired = false;
    const onRetired = vi.fn(() => {
      retired = true;
    });
    const service = createCatalogService({ upstream: fake, tokenProvider: () => 'gho_token', refreshMs: 1000, onRetired, retired: () => retired });
    await service.ready;
    expect(onRetired).toHaveBeenCalledTimes(1);
    expect(service.source).toBe('bundled');
    expect(await service.refresh()).toBe(false);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fake.listCatalog).toHaveBeenCalledTimes(1);
    service.close();
  });

  it('a 410 about something else, or another error, retires nothing', async () => {
    const onRetired = vi.fn();
    const other = new UpstreamHttpError(410, { status: 410, code: null, message: 'Gone' });
    for (const error of [other, unauthorized()]) {
      const service = createCatalogService({ upstream: upstream(error), tokenProvider: () => null, onRetired });
      await service.ready;
      service.close();
    }
    expect(onRetired).not.toHaveBeenCalled();
  });

  it('refreshes every refreshMs and keeps the last good live catalog when a later fetch fails or is empty', async () => {
    const fake = upstream(live, new Error('socket hang up'), [], [live[0]!]);
    const service = createCatalogService({ upstream: fake, tokenProvider: () => null, clock, refreshMs: 60_000 });
    await service.ready;
    expect(service.current().list()).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.listCatalog).toHaveBeenCalledTimes(2);
    expect(service.source).toBe('live');
    expect(service.current().list()).toHaveLength(2);
    expect(service.lastError).toBe('socket hang up');

    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.listCatalog).toHaveBeenCalledTimes(3);
    expect(service.current().list()).toHaveLength(2);
    expect(service.lastError).toBe('the live catalog is empty');

    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.listCatalog).toHaveBeenCalledTimes(4);
    expect(service.current().list().map((model) => model.id)).toEqual(['openai/gpt-9']);
    expect(service.lastError).toBeNull();
    service.close();
  });

  it('defaults to a six-hour refresh', async () => {
    const fake = upstream(live);
    const service = createCatalogService({ upstream: fake, tokenProvider: () => null });
    await service.ready;
    await vi.advanceTimersByTimeAsync(DEFAULT_CATALOG_REFRESH_MS - 1);
    expect(fake.listCatalog).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.listCatalog).toHaveBeenCalledTimes(2);
    service.close();
  });

  it('shares one fetch between concurrent refreshes', async () => {
    let finish!: (models: CatalogModel[]) => void;
    const listCatalog = vi.fn<ListCatalog>(() => new Promise((resolve) => (finish = resolve)));
    const service = createCatalogService({ upstream: { listCatalog }, tokenProvider: () => null });
    const again = service.refresh();
    expect(listCatalog).toHaveBeenCalledTimes(1);
    finish(live);
    expect(await again).toBe(true);
    await service.ready;
    expect(listCatalog).toHaveBeenCalledTimes(1);
    service.close();
  });

  it('close clears its timer, aborts a fetch in flight and ignores its answer', async () => {
    let finish!: (models: CatalogModel[]) => void;
    let signal: AbortSignal | undefined;
    const listCatalog = vi.fn<ListCatalog>((_token, s) => {
      signal = s;
      return new Promise((resolve) => (finish = resolve));
    });
    const before = vi.getTimerCount();
    const service = createCatalogService({ upstream: { listCatalog }, tokenProvider: () => null, refreshMs: 1000 });
    expect(vi.getTimerCount()).toBe(before + 1);
    service.close();
    expect(vi.getTimerCount()).toBe(before);
    expect(signal?.aborted).toBe(true);
    finish(live);
    await service.ready;
    expect(service.source).toBe('bundled');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(listCatalog).toHaveBeenCalledTimes(1);
    expect(await service.refresh()).toBe(false);
  });
});

describe('catalog timer', () => {
  it('is unref()ed so it never keeps the process alive', () => {
    const spy = vi.spyOn(globalThis, 'setInterval');
    const service = createCatalogService({ upstream: upstream(live), tokenProvider: () => null });
    const timer = spy.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    service.close();
    spy.mockRestore();
  });
});

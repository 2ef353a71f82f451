import { useCallback, useState } from 'react';
import { describeError } from '../api/api-error';

export interface ActionState {
  busy: boolean;
  /** Plain words of the last failure, if the last run failed. */
  error: string | null;
  /** Plain words of the last success, if any. */
  done: string | null;
  run<T>(work: () => Promise<T>, success?: (result: T) => string | null): Promise<T | undefined>;
  clear(): void;
}

/** Runs one user action at a time and keeps its outcome in plain words. */
export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const run = useCallback(async <T,>(work: () => Promise<T>, success?: (result: T) => string | null) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const result = await work();
      setDone(success ? success(result) : null);
      return result;
    } catch (failure) {
      setError(describeError(failure));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);

  const clear = useCallback(() => {
    setError(null);
    setDone(null);
  }, []);

  return { busy, error, done, run, clear };
}

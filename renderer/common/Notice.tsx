import type { ReactNode } from 'react';

/** Outcome of an action: errors are announced at once, successes politely. */
export function Outcome({ error, done }: { error: string | null; done: string | null }) {
  return (
    <>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="notice notice-ok" role="status">
        {done}
      </p>
    </>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

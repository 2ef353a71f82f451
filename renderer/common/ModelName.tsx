import { Fragment } from 'react';

/**
 * A model id that wraps only after a "/" (`openai/` ⏎ `gpt-4o-mini`), never inside a name: each
 * segment stays whole (CSS `.model-segment { white-space: nowrap }`).
 */
export function ModelName({ id }: { id: string }) {
  const segments = id.split('/');
  return (
    <span className="model-name">
      {segments.map((segment, i) => (
        <Fragment key={i}>
          <span className="model-segment">
            {segment}
            {i < segments.length - 1 ? '/' : ''}
          </span>
          {i < segments.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </span>
  );
}

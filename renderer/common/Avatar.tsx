import { useState } from 'react';

/** The GitHub avatar when known and loadable (offline it is not); otherwise the login's initial. */
export function Avatar({ url, name }: { url: string | null; name: string }) {
  const [failed, setFailed] = useState(false);
  if (url && !failed) return <img className="avatar" src={url} alt="" width={40} height={40} onError={() => setFailed(true)} />;
  return (
    <span className="avatar avatar-none" aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}

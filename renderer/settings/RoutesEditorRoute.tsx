import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import type { RouteSetting } from '../../shared/routes';

interface Props {
  route: RouteSetting;
  /** `{provider}/{model}` ids to offer when adding a target. */
  offered: readonly string[];
  busy: boolean;
  onChange(next: RouteSetting, done: string): void;
  onRemove(): void;
}

/** `items` with the one at `from` moved to `to`. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(Math.max(0, Math.min(to, next.length)), 0, item as T);
  return next;
}

/**
 * One route: its targets in order, reordered with the Move buttons (keyboard) or by dragging a
 * row onto another, removed one by one; a target added from the offered ids; spread on or off.
 */
export function RoutesEditorRoute({ route, offered, busy, onChange, onRemove }: Props) {
  const [adding, setAdding] = useState('');
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const refocus = useRef<{ target: string; dir: 'up' | 'down' } | null>(null);
  const addId = useId();
  const listId = useId();
  const spreadId = useId();

  // After a move the row is re-rendered elsewhere: keyboard focus stays on its button (or its
  // other move button once the row reaches an end), once saving has enabled the buttons again.
  useEffect(() => {
    const wanted = refocus.current;
    if (!wanted || !listRef.current || busy) return;
    refocus.current = null;
    const row = [...listRef.current.querySelectorAll<HTMLElement>('[data-target]')].find((el) => el.dataset.target === wanted.target);
    const same = row?.querySelector<HTMLButtonElement>(`button[data-move="${wanted.dir}"]`);
    const other = row?.querySelector<HTMLButtonElement>(`button[data-move="${wanted.dir === 'up' ? 'down' : 'up'}"]`);
    (same && !same.disabled ? same : other)?.focus();
  }, [route.targets, busy]);

  function move(from: number, to: number, refocusDir?: 'up' | 'down') {
    if (from === to) return;
    const target = route.targets[from]!;
    if (refocusDir) refocus.current = { target, dir: refocusDir };
    onChange({ ...route, targets: moveItem(route.targets, from, to) }, `Moved ${target} to place ${to + 1} of ${route.name}.`);
  }

  function drop(e: DragEvent, to: number) {
    e.preventDefault();
    if (dragFrom !== null) move(dragFrom, to);
    setDragFrom(null);
    setDropAt(null);
  }

  function add() {
    const target = adding.trim();
    onChange({ ...route, targets: [...route.targets, target] }, `Added ${target} to ${route.name}.`);
    setAdding('');
  }

  const suggestions = offered.filter((id) => !route.targets.includes(id));

  return (
    <li className="card" data-route={route.name} aria-labelledby={`${listId}-name`}>
      <div className="panel-head">
        <h3 id={`${listId}-name`}>{route.name}</h3>
        <button type="button" className="danger" disabled={busy} onClick={onRemove}>
          Remove route <span className="visually-hidden">{route.name}</span>
        </button>
      </div>
      <ol className="account-list" ref={listRef} aria-label={`Targets of ${route.name}, in order`}>
        {route.targets.map((target, index) => (
          <li
            key={target}
            className="account-row"
            style={dropAt === index && dragFrom !== index ? { outline: '2px dashed currentColor' } : undefined}
            data-target={target}
            draggable={!busy}
            onDragStart={(e) => {
              setDragFrom(index);
              e.dataTransfer?.setData('text/plain', target);
            }}
            onDragOver={(e) => {
              e.preventDefault();
              setDropAt(index);
            }}
            onDragLeave={() => setDropAt(null)}
            onDrop={(e) => drop(e, index)}
            onDragEnd={() => {
              setDragFrom(null);
              setDropAt(null);
            }}
          >
            <span>
              <span className="muted" aria-hidden="true">
                ⠿{' '}
              </span>
              {index + 1}. <code>{target}</code>
            </span>
            <span className="account-row-controls">
              <button type="button" data-move="up" disabled={busy || index === 0} onClick={() => move(index, index - 1, 'up')}>
                Move up <span className="visually-hidden">{target} in {route.name}</span>
              </button>
              <button type="button" data-move="down" disabled={busy || index === route.targets.length - 1} onClick={() => move(index, index + 1, 'down')}>
                Move down <span className="visually-hidden">{target} in {route.name}</span>
              </button>
              <button
                type="button"
                className="danger"
                disabled={busy || route.targets.length === 1}
                title={route.targets.length === 1 ? 'A route keeps at least one target: remove the route instead.' : undefined}
                onClick={() => onChange({ ...route, targets: route.targets.filter((t) => t !== target) }, `Removed ${target} from ${route.name}.`)}
              >
                Remove <span className="visually-hidden">{target} from {route.name}</span>
              </button>
            </span>
          </li>
        ))}
      </ol>
      <form
        className="route-add"
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
        noValidate
      >
        <div className="field">
          <label htmlFor={addId}>Add a target to {route.name}</label>
          <input id={addId} type="text" list={`${listId}-offered`} value={adding} spellCheck={false} autoComplete="off" placeholder="provider/model" onChange={(e) => setAdding(e.target.value)} />
          <datalist id={`${listId}-offered`}>
            {suggestions.map((id) => (
              <option key={id} value={id} />
            ))}
          </datalist>
        </div>
        <div className="actions">
          <button type="submit" disabled={busy || adding.trim() === ''}>
            Add target <span className="visually-hidden">to {route.name}</span>
          </button>
        </div>
      </form>
      <div className="field field-check">
        <input
          id={spreadId}
          type="checkbox"
          checked={route.spread}
          disabled={busy}
          onChange={(e) => onChange({ ...route, spread: e.target.checked }, e.target.checked ? `${route.name} now spreads requests over its targets.` : `${route.name} now tries its targets in order.`)}
        />
        <label htmlFor={spreadId}>
          Spread requests over the targets <span className="visually-hidden">of {route.name}</span>
        </label>
        <p className="hint">Off: the first target that can serve answers. On: each request starts one target further.</p>
      </div>
    </li>
  );
}

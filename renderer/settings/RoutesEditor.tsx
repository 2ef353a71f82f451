import { useEffect, useId, useState } from 'react';
import type { SwitchyardApi } from '../../shared/api';
import { routeSettingsSchema, type RouteSetting } from '../../shared/routes';
import type { Settings } from '../../shared/settings';
import { EmptyState, Outcome } from '../common/Notice';
import { useAction } from '../hooks/use-action';
import { RoutesEditorRoute } from './RoutesEditorRoute';

interface Props {
  api: SwitchyardApi;
  /** The saved routes, in order. */
  routes: RouteSetting[];
  /** `{provider}/{model}` ids the engine serves (as `/v1/models` lists them), offered as targets. */
  offered: readonly string[];
  onSaved(settings: Settings): void;
}

/** The first problem with a list of routes, in the words of the shared schema; null when it can be saved. */
export function routesProblem(routes: RouteSetting[]): string | null {
  const result = routeSettingsSchema.safeParse(routes);
  if (result.success) return null;
  const issue = result.error.issues[0]!;
  const route = typeof issue.path[0] === 'number' ? routes[issue.path[0]] : undefined;
  return route && route.name.trim() !== '' ? `${route.name}: ${issue.message}` : issue.message;
}

/** Settings → Routes: create a route, reorder its targets (keyboard or drag), add and remove them. Every change is saved at once. */
export function RoutesEditor({ api, routes, offered, onSaved }: Props) {
  const action = useAction();
  // Changes show at once; the saved settings then replace them (or bring them back on failure).
  const [draft, setDraft] = useState(routes);
  const [problem, setProblem] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [first, setFirst] = useState('');
  const nameId = useId();
  const firstId = useId();
  const offeredId = useId();
  useEffect(() => setDraft(routes), [routes]);

  function save(next: RouteSetting[], done: string): boolean {
    const found = routesProblem(next);
    setProblem(found);
    if (found) {
      action.clear();
      return false;
    }
    setDraft(next);
    void action
      .run(
        () => api.updateSettings({ routes: next }),
        (settings) => {
          onSaved(settings);
          return done;
        },
      )
      .then((saved) => {
        if (saved === undefined) setDraft(routes);
      });
    return true;
  }

  function create() {
    const route = { name: name.trim(), targets: [first.trim()], spread: false };
    if (save([...draft, route], `Created route ${route.name}.`)) {
      setName('');
      setFirst('');
    }
  }

  return (
    <section className="panel" aria-labelledby="routes-heading">
      <h2 id="routes-heading">Routes</h2>
      <p className="hint">
        A route is a model name clients send that stands for several <code>provider/model</code> targets. Switchyard serves it from the first target that can, and only when
        none can does the client hear a 429. A route of the same name as a built-in family (like <code>llama-3.3-70b</code>) replaces it.
      </p>
      {draft.length === 0 ? (
        <EmptyState>No routes of your own yet.</EmptyState>
      ) : (
        <ul className="account-list">
          {draft.map((route, index) => (
            <RoutesEditorRoute
              key={route.name}
              route={route}
              offered={offered}
              busy={action.busy}
              onChange={(next, done) => save(draft.map((r, i) => (i === index ? next : r)), done)}
              onRemove={() => save(draft.filter((_, i) => i !== index), `Removed route ${route.name}.`)}
            />
          ))}
        </ul>
      )}
      <form
        aria-labelledby="routes-create-heading"
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
        noValidate
      >
        <h3 id="routes-create-heading">New route</h3>
        <div className="field">
          <label htmlFor={nameId}>Route name (what clients send as model)</label>
          <input id={nameId} type="text" value={name} spellCheck={false} autoComplete="off" onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={firstId}>First target</label>
          <input id={firstId} type="text" list={offeredId} value={first} spellCheck={false} autoComplete="off" placeholder="provider/model" onChange={(e) => setFirst(e.target.value)} />
          <datalist id={offeredId}>
            {offered.map((id) => (
              <option key={id} value={id} />
            ))}
          </datalist>
        </div>
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            Create route
          </button>
        </div>
      </form>
      <Outcome error={problem ?? action.error} done={action.done} />
    </section>
  );
}

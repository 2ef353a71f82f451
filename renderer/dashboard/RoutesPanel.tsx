import type { RouteNeed, RouteOrigin, RouteTargetState, RouteTargetView, RouteView } from '../../shared/routes';
import { Countdown } from '../common/Countdown';

const ORIGIN_LABEL: Record<RouteOrigin, string> = { settings: 'your route (Settings)', config: 'your route (config file)', family: 'built-in family' };
const NEED_LABEL: Record<RouteNeed, string> = { tools: 'tools', vision: 'images', jsonSchema: 'a JSON schema' };
const STATE_LABEL: Record<RouteTargetState, string> = { ready: 'Ready', limited: 'Rate-limited', unavailable: 'Unavailable', dropped: 'Not used' };

function TargetState({ target, now }: { target: RouteTargetView; now: number }) {
  return (
    <>
      <span className={`status status-${target.state}`}>{STATE_LABEL[target.state]}</span>
      {target.state === 'limited' && target.until !== null ? (
        <>
          {' '}
          <Countdown until={target.until} now={now} />
        </>
      ) : null}
      {target.reason ? <span className="muted"> — {target.reason}</span> : null}
      {target.lacks.length > 0 ? <span className="muted"> · skipped for requests with {target.lacks.map((n) => NEED_LABEL[n]).join(' or ')}</span> : null}
    </>
  );
}

/** Each route with each target's state and where its traffic went. Nothing when there are no routes. */
export function RoutesPanel({ routes, now }: { routes: readonly RouteView[]; now: number }) {
  if (routes.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="routes-panel-heading">
      <h2 id="routes-panel-heading">Routes</h2>
      {routes.map((route) => (
        <article key={route.name} aria-labelledby={`route-${route.name}`}>
          <h3 id={`route-${route.name}`}>{route.name}</h3>
          <p className="hint">
            {ORIGIN_LABEL[route.origin]}
            {route.shadows ? ` — replaces the ${ORIGIN_LABEL[route.shadows]} of the same name` : ''} · {route.spread ? 'spreads requests over its targets' : 'targets in order'}
          </p>
          <table>
            <caption className="visually-hidden">Targets of {route.name}</caption>
            <thead>
              <tr>
                <th scope="col">Target</th>
                <th scope="col">State</th>
                <th scope="col">Served</th>
                <th scope="col">After a fallback</th>
              </tr>
            </thead>
            <tbody>
              {route.targets.map((target) => (
                <tr key={target.target} data-target={target.target}>
                  <th scope="row">
                    <code>{target.target}</code>
                    {target.lastServed ? <span className="badge"> Latest</span> : null}
                  </th>
                  <td>
                    <TargetState target={target} now={now} />
                  </td>
                  <td>{target.served}</td>
                  <td>{target.fallbacks}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
    </section>
  );
}

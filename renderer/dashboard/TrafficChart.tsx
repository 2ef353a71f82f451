import type { TrafficView } from '../../shared/snapshot';
import { EmptyState } from '../common/Notice';
import { formatTime } from '../../shared/words/time-words';
import { hourTicks, trafficSeries, type AccountSeries, type TrafficSeries } from './traffic-series';

const WINDOW_HOURS = 6;
const WIDTH = 600;
const HEIGHT = 60;

/** Requests over the last hours per account, split into served / rotated / rate-limited. */
export function TrafficChart({ traffic, accountKeys, now }: { traffic: TrafficView; accountKeys: string[]; now: number }) {
  const series = trafficSeries(traffic, accountKeys, now, WINDOW_HOURS * 3_600_000);
  return (
    <section className="panel" aria-labelledby="traffic-heading">
      <div className="panel-head">
        <h2 id="traffic-heading">Requests, last {WINDOW_HOURS} hours</h2>
        <ul className="legend" aria-label="Legend">
          <li>
            <span className="swatch swatch-served" aria-hidden="true" /> served
          </li>
          <li>
            <span className="swatch swatch-rotated" aria-hidden="true" /> rotated away
          </li>
          <li>
            <span className="swatch swatch-limited" aria-hidden="true" /> rate-limited
          </li>
        </ul>
      </div>
      {series.accounts.length === 0 ? (
        <EmptyState>No requests in the last {WINDOW_HOURS} hours — send one through the proxy and it shows up here.</EmptyState>
      ) : (
        <>
          {series.accounts.map((s) => (
            <AccountChart key={s.account} series={s} slots={series.slots} max={series.max} />
          ))}
          <TimeAxis series={series} />
        </>
      )}
    </section>
  );
}

/** Local clock times under the charts, one per full hour. */
function TimeAxis({ series }: { series: TrafficSeries }) {
  return (
    <div className="traffic-axis" data-testid="traffic-axis">
      {hourTicks(series).map((tick) => (
        <span key={tick.at} className="traffic-tick" style={{ left: `${tick.left}%` }}>
          {formatTime(tick.at, 'minute')}
        </span>
      ))}
    </div>
  );
}

function AccountChart({ series, slots, max }: { series: AccountSeries; slots: number; max: number }) {
  const { served, rotated, rateLimited } = series.totals;
  const summary = `${series.account}: ${served} served, ${rotated} rotated away, ${rateLimited} rate-limited`;
  const slotWidth = WIDTH / slots;
  const barWidth = Math.max(1, slotWidth - 1);
  const scale = (n: number) => (max === 0 ? 0 : (n / max) * HEIGHT);
  return (
    <figure className="traffic" data-account={series.account}>
      <figcaption>{summary}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={summary} className="traffic-svg">
        {series.bars.map((bar, i) => {
          const total = bar.served + bar.rotated + bar.rateLimited;
          if (total === 0) return null;
          const x = i * slotWidth;
          const hServed = scale(bar.served);
          const hRotated = scale(bar.rotated);
          const hLimited = scale(bar.rateLimited);
          return (
            <g key={bar.start}>
              <title>{`${formatTime(bar.start)}: ${bar.served} served, ${bar.rotated} rotated away, ${bar.rateLimited} rate-limited`}</title>
              <rect className="bar-served" x={x} width={barWidth} y={HEIGHT - hServed} height={hServed} />
              <rect className="bar-rotated" x={x} width={barWidth} y={HEIGHT - hServed - hRotated} height={hRotated} />
              <rect className="bar-limited" x={x} width={barWidth} y={HEIGHT - hServed - hRotated - hLimited} height={hLimited} />
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

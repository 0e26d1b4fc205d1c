import { formatInstant, shortHash } from '../format';
import type { SeenHead } from './seen-heads';
import { useTreeT } from './messages';

interface Props {
  readonly heads: readonly SeenHead[];
  readonly locale: string;
}

const WIDTH = 560;
const HEIGHT = 150;
const PAD = { left: 52, right: 14, top: 12, bottom: 26 };

/** Round-ish tick values from 0 to at least `max`. */
function ticks(max: number): number[] {
  if (max <= 0) return [0];
  const step = 10 ** Math.floor(Math.log10(max));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => max / s <= 4) ?? step * 10;
  const out: number[] = [];
  // Up to the first tick at or above the largest head, so no point falls above the chart.
  for (let v = 0; out.at(-1) === undefined || out.at(-1)! < max; v += nice) out.push(v);
  return out;
}

/**
 * Size of each signed head over time, as a step line: the journal only grows, so a step down would be
 * visible at a glance (the consistency check says whether the growth kept what came before).
 */
export function HeadsChart({ heads, locale }: Props) {
  const tt = useTreeT();
  if (heads.length === 0) return null;
  const times = heads.map((h) => new Date(h.issuedAt).getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const yTicks = ticks(Math.max(...heads.map((h) => h.size)));
  const yMax = yTicks.at(-1)! || 1;
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  // One head alone sits in the middle rather than on the axis.
  const x = (t: number) => PAD.left + (t1 === t0 ? innerW / 2 : ((t - t0) / (t1 - t0)) * innerW);
  const y = (size: number) => PAD.top + innerH - (size / yMax) * innerH;
  const points = heads.map((h, i) => ({ head: h, x: x(times[i]!), y: y(h.size) }));
  const path = points.map((p, i) => (i === 0 ? `M${p.x},${p.y}` : `H${p.x}V${p.y}`)).join('');
  const base = y(0);
  const area = `${path}V${base}H${points[0]!.x}Z`;
  const last = points.at(-1)!;

  return (
    <figure className="heads-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={tt.chartLabel}>
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} className="heads-grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="heads-axis">
              {v.toLocaleString(locale)}
            </text>
          </g>
        ))}
        <text x={PAD.left} y={HEIGHT - 6} className="heads-axis">
          {formatInstant(heads[0]!.issuedAt, locale)}
        </text>
        {heads.length > 1 && (
          <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="heads-axis">
            {formatInstant(heads.at(-1)!.issuedAt, locale)}
          </text>
        )}
        {points.length > 1 && <path d={area} className="heads-area" />}
        {points.length > 1 && <path d={path} className="heads-line" />}
        <text x={last.x} y={last.y - 9} textAnchor={points.length > 1 ? 'end' : 'middle'} className="heads-value">
          {last.head.size.toLocaleString(locale)}
        </text>
        {points.map((p) => (
          <circle key={`${p.head.size}-${p.head.root}`} cx={p.x} cy={p.y} r={4} className="heads-point">
            <title>{`${tt.sizeAt(p.head.size, formatInstant(p.head.issuedAt, locale))} · ${shortHash(p.head.root)}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}

import type { Histogram } from './api';

/* Small SVG charts of the stress page: drawn from the result's numbers, nothing fetched. */

export const FATE_ORDER = [
  'reached',
  'no-responder',
  'below-threshold',
  'uncovered',
  'unattributed',
  'unverified',
  'denied-access',
  'pending',
];
export const FATE_COLOURS: Record<string, string> = {
  reached: '#1f6e45',
  'no-responder': '#ab2317',
  'below-threshold': '#7fa7d6',
  uncovered: '#d9534f',
  unattributed: '#b9bfc7',
  unverified: '#8a929c',
  'denied-access': '#7a5230',
  pending: '#dde1e6',
};

export function FateBar({
  fates,
  words,
}: {
  readonly fates: Readonly<Record<string, number>>;
  readonly words: Readonly<Record<string, string>>;
}) {
  const shown = FATE_ORDER.filter((f) => (fates[f] ?? 0) > 0);
  let x = 0;
  return (
    <figure className="st-fates">
      <svg
        viewBox="0 0 100 6"
        preserveAspectRatio="none"
        width="100%"
        height="28"
        role="img"
        aria-label={shown.map((f) => `${words[f]} ${pct(fates[f]!)}`).join(', ')}
      >
        {shown.map((f) => {
          const w = fates[f]! * 100;
          const rect = <rect key={f} x={x} y={0} width={w} height={6} fill={FATE_COLOURS[f]} />;
          x += w;
          return rect;
        })}
      </svg>
      <figcaption className="st-legend">
        {shown.map((f) => (
          <span key={f}>
            <i style={{ background: FATE_COLOURS[f] }} />
            {words[f] ?? f} {pct(fates[f]!)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function Bars({ histogram, colour, label }: { readonly histogram: Histogram; readonly colour: string; readonly label: string }) {
  const w = 360;
  const h = 150;
  const max = Math.max(1, ...histogram.counts);
  const bw = w / Math.max(1, histogram.counts.length);
  return (
    <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-label={label} className="st-chart">
      {histogram.counts.map((c, i) => {
        const bh = (c / max) * (h - 34);
        const edge = histogram.edges[i]!;
        return (
          <g key={i}>
            <rect x={i * bw + 2} y={h - 20 - bh} width={Math.max(1, bw - 4)} height={bh} fill={colour}>
              <title>{`${edge}${i === histogram.counts.length - 1 ? '+' : ''}: ${c}`}</title>
            </rect>
            <text x={i * bw + bw / 2} y={h - 6} fontSize="10" textAnchor="middle">
              {i === histogram.counts.length - 1 ? `${edge}+` : edge}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function Series({
  a,
  b,
  labels,
}: {
  readonly a: readonly number[];
  readonly b: readonly number[];
  readonly labels: readonly [string, string];
}) {
  const w = 360;
  const h = 150;
  const max = Math.max(1, ...a, ...b);
  const x = (i: number) => 28 + (i / Math.max(1, a.length - 1)) * (w - 36);
  const y = (v: number) => h - 20 - (v / max) * (h - 34);
  const path = (vs: readonly number[]) => vs.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
  return (
    <figure className="st-series">
      <svg viewBox={`0 0 ${w} ${h}`} width="100%" role="img" aria-label={`${labels[0]}, ${labels[1]}`} className="st-chart">
        <line x1={28} x2={w - 8} y1={h - 20} y2={h - 20} stroke="#c3cad3" />
        <text x={2} y={14} fontSize="10">
          {max.toFixed(1)}
        </text>
        <text x={28} y={h - 6} fontSize="10">
          1
        </text>
        <text x={w - 8} y={h - 6} fontSize="10" textAnchor="end">
          {a.length}
        </text>
        <path d={path(a)} fill="none" stroke="#ab2317" strokeWidth={1.5} />
        <path d={path(b)} fill="none" stroke="#1f5188" strokeWidth={1.5} />
      </svg>
      <figcaption className="st-legend">
        <span>
          <i style={{ background: '#ab2317' }} />
          {labels[0]}
        </span>
        <span>
          <i style={{ background: '#1f5188' }} />
          {labels[1]}
        </span>
      </figcaption>
    </figure>
  );
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

import { useEffect, useMemo, useState } from 'react';
import { BOUNDARIES_URL, magnitude, type MoneyRow } from './api';
import { useProsperityT } from './messages';

type Ring = number[][];
interface Feature {
  readonly properties: { kind: string; name_uk?: string; name_en?: string; label?: [number, number] };
  readonly geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

/** A row of money by oblast; its Ukrainian label is the boundary file's name_uk (= ADMIN_1), which the map joins on. */
export type OblastRow = MoneyRow & { label: { en: string; uk: string } };

const WIDTH = 640;
const HEIGHT = 430;
const SHADES = ['#e8eef6', '#c6d6ea', '#94b3d6', '#5d8bbd', '#2f5f98', '#173f6b'];

/** Equirectangular projection at Ukraine's mid-latitude: simple, and true enough for a country this size. */
function projector(features: readonly Feature[]) {
  let w = Infinity;
  let e = -Infinity;
  let s = Infinity;
  let n = -Infinity;
  const visit = (ring: Ring) => {
    for (const [x, y] of ring) {
      w = Math.min(w, x!);
      e = Math.max(e, x!);
      s = Math.min(s, y!);
      n = Math.max(n, y!);
    }
  };
  for (const f of features) {
    if (f.geometry.type === 'Polygon') f.geometry.coordinates.forEach(visit);
    else f.geometry.coordinates.forEach((p) => p.forEach(visit));
  }
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
  const scale = Math.min(WIDTH / ((e - w) * k), HEIGHT / (n - s));
  return (lon: number, lat: number): [number, number] => [(lon - w) * k * scale, (n - lat) * scale];
}

function pathOf(f: Feature, project: (lon: number, lat: number) => [number, number]): string {
  const rings = f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
  return rings
    .map(
      (ring) =>
        'M' +
        ring
          .map(([x, y]) => project(x!, y!))
          .map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`)
          .join('L') +
        'Z',
    )
    .join('');
}

/** A choropleth of committed money by oblast, drawn as SVG from the app's own simplified boundaries. */
export function OblastMap({
  rows,
  language,
  format,
}: {
  rows: readonly OblastRow[];
  language: 'en' | 'uk';
  format: (decimal: string) => string;
}) {
  const p = useProsperityT();
  const [features, setFeatures] = useState<Feature[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    fetch(BOUNDARIES_URL)
      .then((r) => (r.ok ? (r.json() as Promise<{ features: Feature[] }>) : Promise.reject(new Error(String(r.status)))))
      .then((doc) => !cancelled && setFeatures(doc.features))
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, []);

  // Committed money: every stage after the pledge itself.
  const committed = useMemo(() => {
    const byName = new Map<string, { row: OblastRow; amount: number }>();
    for (const r of rows) {
      if (r.key === 'unallocated') continue;
      const amount = magnitude(r.total) - magnitude(r.stages.uncommitted ?? '0');
      byName.set(r.label.uk, { row: r, amount });
    }
    return byName;
  }, [rows]);
  const max = Math.max(1, ...[...committed.values()].map((c) => c.amount));
  const shade = (amount: number) =>
    amount <= 0 ? '#f4f5f7' : SHADES[Math.min(SHADES.length - 1, Math.floor((amount / max) * (SHADES.length - 1) + 0.5))]!;

  if (failed) return <p className="muted">{p.map.unavailable}</p>;
  if (!features) return <div className="pr-map-placeholder" aria-busy="true" />;
  const project = projector(features);
  const oblasts = features.filter((f) => f.properties.kind === 'oblast');
  return (
    <figure className="pr-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={p.map.title} data-testid="oblast-map">
        {oblasts.map((f) => {
          const hit = committed.get(f.properties.name_uk ?? '');
          const name = language === 'uk' ? f.properties.name_uk : f.properties.name_en;
          return (
            <path
              key={f.properties.name_uk}
              d={pathOf(f, project)}
              fill={shade(hit?.amount ?? 0)}
              stroke="#fff"
              strokeWidth={0.8}
              data-oblast={hit?.row.key ?? ''}
            >
              <title>{`${name}: ${hit ? `${format(String(Math.round(hit.amount)))} EUR` : p.map.none}`}</title>
            </path>
          );
        })}
        {oblasts.map((f) => {
          const hit = committed.get(f.properties.name_uk ?? '');
          if (!hit || !f.properties.label) return null;
          const [x, y] = project(f.properties.label[0], f.properties.label[1]);
          return (
            <text key={`l-${f.properties.name_uk}`} x={x} y={y} className="pr-map-label" textAnchor="middle">
              {format(String(Math.round(hit.amount)))}
            </text>
          );
        })}
      </svg>
      <figcaption>
        <span className="pr-map-legend" aria-label={p.map.legend}>
          {SHADES.map((c, i) => (
            <span
              key={c}
              style={{ background: c }}
              title={i === 0 ? '0' : `≤ ${format(String(Math.round((max * i) / (SHADES.length - 1))))}`}
            />
          ))}
          <small>0 – {format(String(Math.round(max)))} EUR</small>
        </span>
        <small className="muted">{p.map.attribution}</small>
      </figcaption>
    </figure>
  );
}

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { GeoJSONSource, Map as MapLibreMap, MapGeoJSONFeature, Marker as MapLibreMarker } from 'maplibre-gl';
import { CASE_STATUSES } from '../../../core/operations/model';
import { clusterView, project } from './cluster';
import type { IncidentSet } from './incidents';
import { mapStyle } from './style';
import type { ZoneFeature } from './zones';

/*
 * The map itself: MapLibre on local GeoJSON. MapLibre is loaded with the page that shows a map (it is
 * the heaviest thing in the app), and everything it draws comes in through props, so the live page,
 * the report form and the public page share it.
 */

/** What a GeoJSON source takes (the `geojson` types MapLibre uses, without naming that package). */
type SourceData = Parameters<GeoJSONSource['setData']>[0];

export const BOUNDARIES_URL = '/geo/ukraine-boundaries.geojson';
/** Ukraine with a margin, west-south-east-north: what the map shows first. */
const UKRAINE: [[number, number], [number, number]] = [
  [22.0, 44.2],
  [40.3, 52.5],
];

export interface LonLat {
  readonly lon: number;
  readonly lat: number;
}

/** The incidents to draw: rows of a set (mutated in place, so `version` says when it changed) and which of them pass the filters. */
export interface IncidentView {
  readonly set: IncidentSet;
  readonly version: number;
  readonly indices: Uint32Array;
}

const CLUSTER = { radiusPx: 56, maxZoom: 11, verifiedCode: CASE_STATUSES.indexOf('verified') };

export interface IncidentMapProps {
  readonly label: string;
  readonly attribution: string;
  readonly language: 'en' | 'uk';
  readonly incidents: IncidentView;
  readonly zones: readonly ZoneFeature[];
  /** Humanitarian notices and struck places (notices.ts), when the reader may see them. */
  readonly notices?: { readonly type: 'FeatureCollection'; readonly features: readonly unknown[] } | null;
  readonly selected?: LonLat | null;
  readonly onSelect?: (index: number) => void;
  /** When set, a click on the map picks a place instead of selecting an incident. */
  readonly onPick?: ((place: LonLat) => void) | null;
  readonly picked?: LonLat | null;
  /** Called once, when the map has drawn its first frame with incidents in it (for the timing mark). */
  readonly onFirstRender?: () => void;
  readonly className?: string;
}

type BoundaryFeature = {
  type: 'Feature';
  properties: { kind: string; name_en: string; name_uk: string; label?: [number, number] };
  geometry: unknown;
};

async function loadBoundaries(): Promise<{ type: 'FeatureCollection'; features: BoundaryFeature[] } | null> {
  try {
    const response = await fetch(BOUNDARIES_URL);
    if (!response.ok) return null;
    return (await response.json()) as { type: 'FeatureCollection'; features: BoundaryFeature[] };
  } catch {
    return null;
  }
}

export function IncidentMap(props: IncidentMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const markerRef = useRef<MapLibreMarker | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const rendered = useRef(false);
  const styleReady = useRef(false);

  // The map is built once; what it shows changes through the effects below.
  useEffect(() => {
    let cancelled = false;
    let map: MapLibreMap | null = null;
    // The boundaries are fetched while MapLibre itself loads, not after.
    const boundaries = loadBoundaries();
    void (async () => {
      const maplibre = await import('./maplibre');
      performance.mark('ops:map:library');
      if (cancelled || !container.current) return;
      try {
        map = new maplibre.Map({
          container: container.current,
          style: mapStyle({
            attribution: latest.current.attribution,
            labelField: latest.current.language === 'uk' ? 'name_uk' : 'name_en',
          }),
          bounds: UKRAINE,
          fitBoundsOptions: { padding: 8 },
          attributionControl: { compact: false },
          dragRotate: false,
          pitchWithRotate: false,
          maxZoom: 14,
          minZoom: 3,
          // Labels appear at once instead of fading in: the map is "drawn" a third of a second sooner.
          fadeDuration: 0,
        });
      } catch (error) {
        setFailed(error instanceof Error ? error.message : String(error));
        return;
      }
      map.touchZoomRotate.disableRotation();
      map.addControl(new maplibre.NavigationControl({ showCompass: false }), 'top-right');
      map.addControl(new maplibre.ScaleControl({ unit: 'metric' }), 'bottom-left');
      mapRef.current = map;
      const current = map;
      current.on('load', () => {
        if (cancelled) return;
        performance.mark('ops:map:style-loaded');
        styleReady.current = true;
        setLoaded(true);
        void boundaries.then((boundaries) => {
          if (!boundaries || cancelled) return;
          (current.getSource('boundaries') as GeoJSONSource | undefined)?.setData(boundaries as unknown as SourceData);
          const labels = boundaries.features
            .filter((f) => f.properties.kind === 'oblast' && f.properties.label)
            .map((f) => ({
              type: 'Feature' as const,
              properties: f.properties,
              geometry: { type: 'Point' as const, coordinates: f.properties.label! },
            }));
          (current.getSource('oblast-labels') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features: labels });
          // What the map holds, in the page, for tests and assistive tools (the canvas itself says nothing).
          container.current?.setAttribute('data-oblasts', String(labels.length));
        });
      });
      current.on('click', 'incident-clusters', (event) => {
        if (latest.current.onPick) return;
        const feature = event.features?.[0] as MapGeoJSONFeature | undefined;
        const zoom = feature?.properties?.['expansion_zoom'] as number | undefined;
        if (feature === undefined || zoom === undefined || feature.geometry.type !== 'Point') return;
        current.easeTo({ center: feature.geometry.coordinates as [number, number], zoom: Math.max(zoom, current.getZoom() + 1) });
      });
      current.on('click', 'incident-points', (event) => {
        if (latest.current.onPick) return;
        const index = event.features?.[0]?.properties?.['i'] as number | undefined;
        if (index !== undefined) latest.current.onSelect?.(index);
      });
      current.on('moveend', () => drawRef.current());
      current.on('click', (event) => latest.current.onPick?.({ lon: round6(event.lngLat.lng), lat: round6(event.lngLat.lat) }));
      for (const layer of ['incident-clusters', 'incident-points']) {
        current.on('mouseenter', layer, () => (current.getCanvas().style.cursor = 'pointer'));
        current.on('mouseleave', layer, () => (current.getCanvas().style.cursor = ''));
      }
      current.on('error', (event) => {
        // A failed worker or WebGL context is worth showing; a missing tile is not (we have none).
        if (event.error?.message?.includes('Worker')) setFailed(event.error.message);
      });
    })();
    return () => {
      cancelled = true;
      markerRef.current?.remove();
      map?.remove();
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    (map.getSource('zones') as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: props.zones as unknown as never[],
    });
    container.current?.setAttribute('data-zones', props.zones.map((z) => `${z.properties.kind}:${z.properties.standing}`).join(' '));
  }, [loaded, props.zones]);

  // Incidents are clustered here, for the view, on every change of data, filter, zoom or place.
  const { set, version, indices } = props.incidents;
  // The set changes in place: `version` is what says it changed.
  const projected = useMemo(() => project(set), [set, version]);
  const draw = useCallback(() => {
    const map = mapRef.current;
    if (!map || !styleReady.current) return;
    const b = map.getBounds();
    const features = clusterView(set, projected, indices, map.getZoom(), [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], CLUSTER);
    (map.getSource('incidents') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features } as unknown as SourceData);
    const count = String(indices.length);
    container.current?.setAttribute('data-incidents', count);
    // Drawn: the frame after this data reached the screen (what a reader sees, not just what was sent).
    map.once('idle', () => container.current?.setAttribute('data-drawn', count));
    if (!rendered.current && indices.length > 0) {
      // The first frame drawn with the incidents in it: what a reader waits for.
      map.once('idle', () => {
        if (rendered.current) return;
        rendered.current = true;
        setReady(true);
        latest.current.onFirstRender?.();
      });
    }
  }, [set, projected, indices]);
  const drawRef = useRef(draw);
  drawRef.current = draw;

  useEffect(() => {
    if (!loaded) return;
    performance.mark('ops:map:set-data');
    draw();
  }, [loaded, draw]);

  const notices = props.notices ?? null;
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    (map.getSource('notices') as GeoJSONSource | undefined)?.setData(
      (notices ?? { type: 'FeatureCollection', features: [] }) as unknown as SourceData,
    );
    container.current?.setAttribute('data-notices', String(notices?.features.length ?? 0));
  }, [loaded, notices]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    const s = props.selected;
    (map.getSource('selected') as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features: s ? [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } }] : [],
    });
  }, [loaded, props.selected]);

  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    map.setLayoutProperty('oblast-labels', 'text-field', ['get', props.language === 'uk' ? 'name_uk' : 'name_en']);
  }, [loaded, props.language]);

  // The picked place, as a marker the reader can also drag.
  const picked = props.picked ?? null;
  useEffect(() => {
    const map = mapRef.current;
    if (!loaded || !map) return;
    if (!picked) {
      markerRef.current?.remove();
      markerRef.current = null;
      return;
    }
    let cancelled = false;
    void import('./maplibre').then((maplibre) => {
      if (cancelled) return;
      if (!markerRef.current) {
        const marker = new maplibre.Marker({ color: '#1f5188', draggable: true });
        marker.on('dragend', () => {
          const at = marker.getLngLat();
          latest.current.onPick?.({ lon: round6(at.lng), lat: round6(at.lat) });
        });
        markerRef.current = marker;
      }
      markerRef.current.setLngLat([picked.lon, picked.lat]).addTo(map);
    });
    return () => {
      cancelled = true;
    };
  }, [loaded, picked]);

  useEffect(() => {
    const canvas = mapRef.current?.getCanvas();
    if (canvas) canvas.style.cursor = props.onPick ? 'crosshair' : '';
  }, [loaded, props.onPick]);

  return (
    <div className={`incident-map ${props.className ?? ''}`}>
      <div
        ref={container}
        className="incident-map-canvas"
        role="region"
        aria-label={props.label}
        data-state={ready ? 'ready' : loaded ? 'loaded' : 'loading'}
      />
      {failed && (
        <p className="notice notice-error incident-map-failed" role="alert">
          {failed}
        </p>
      )}
    </div>
  );
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

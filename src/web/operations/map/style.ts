import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { CASE_STATUSES } from '../../../core/operations/model';
import type { ZoneKind } from './zones';

/*
 * The map's style: GeoJSON sources only (no tiles, no sprite, no glyph server; labels are drawn from
 * the reader's own fonts), so the map works offline and sends nothing beyond our origin.
 */

export const ZONE_COLOURS: Readonly<Record<ZoneKind, string>> = {
  'contact-line': '#b3261e',
  'buffer-zone': '#d9822b',
  'corridor-buffer': '#2b83ba',
  'maritime-corridor': '#1d5c8f',
  'airspace-area': '#7b4fa0',
  'withdrawal-line': '#6a3d9a',
};

export const STATUS_COLOURS: Readonly<Record<(typeof CASE_STATUSES)[number], string>> = {
  reported: '#36566f',
  'under-investigation': '#c77700',
  verified: '#b3261e',
  'not-verified': '#7d8791',
  unfounded: '#b4bcc4',
};

/** Humanitarian notices: a colour no zone or status uses. */
export const NOTICE_COLOUR = '#1f7a4d';

const EMPTY = { type: 'FeatureCollection' as const, features: [] };
const FONT = ['system-ui', 'Noto Sans', 'DejaVu Sans', 'sans-serif'];

const statusColour: ExpressionSpecification = [
  'match',
  ['get', 's'],
  ...CASE_STATUSES.flatMap((status, i) => [i, STATUS_COLOURS[status]]),
  '#36566f',
] as unknown as ExpressionSpecification;

const isArea: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const isLine: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]];
const agreed: ExpressionSpecification = ['==', ['get', 'standing'], 'agreed'];
const zoneColour: ExpressionSpecification = [
  'match',
  ['get', 'kind'],
  ...Object.entries(ZONE_COLOURS).flat(),
  '#555555',
] as unknown as ExpressionSpecification;

export function mapStyle(options: { readonly attribution: string; readonly labelField: 'name_en' | 'name_uk' }): StyleSpecification {
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': '#e4e9ee' } },
    {
      id: 'country-fill',
      type: 'fill',
      source: 'boundaries',
      filter: ['==', ['get', 'kind'], 'country'],
      paint: { 'fill-color': '#fbfaf6' },
    },
    {
      id: 'oblast-lines',
      type: 'line',
      source: 'boundaries',
      filter: ['==', ['get', 'kind'], 'oblast'],
      paint: { 'line-color': '#b9c1ca', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 0.5, 9, 1.2] },
    },
    {
      id: 'country-line',
      type: 'line',
      source: 'boundaries',
      filter: ['==', ['get', 'kind'], 'country'],
      paint: { 'line-color': '#4f5b66', 'line-width': ['interpolate', ['linear'], ['zoom'], 4, 1.2, 9, 2.4] },
    },
    // Zones: agreed areas filled, proposals only outlined (dashed), so a proposal never reads as a rule.
    {
      id: 'zone-areas',
      type: 'fill',
      source: 'zones',
      filter: ['all', isArea, agreed],
      paint: {
        'fill-color': zoneColour,
        'fill-opacity': ['match', ['get', 'kind'], 'airspace-area', 0.06, 0.22],
      },
    },
    {
      id: 'zone-area-edges',
      type: 'line',
      source: 'zones',
      filter: ['all', isArea, agreed],
      paint: { 'line-color': zoneColour, 'line-width': 1.2, 'line-opacity': 0.85 },
    },
    {
      id: 'zone-proposed-edges',
      type: 'line',
      source: 'zones',
      filter: ['all', isArea, ['!', agreed]],
      paint: { 'line-color': zoneColour, 'line-width': 1.4, 'line-dasharray': [3, 2], 'line-opacity': 0.9 },
    },
    {
      id: 'zone-lines',
      type: 'line',
      source: 'zones',
      filter: ['all', isLine, agreed],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': zoneColour,
        'line-width': ['match', ['get', 'kind'], 'contact-line', 3, 2],
        'line-dasharray': ['match', ['get', 'kind'], 'maritime-corridor', ['literal', [4, 2]], ['literal', [1, 0]]],
      },
    },
    {
      id: 'zone-proposed-lines',
      type: 'line',
      source: 'zones',
      filter: ['all', isLine, ['!', agreed]],
      paint: { 'line-color': zoneColour, 'line-width': 2, 'line-dasharray': [2, 2] },
    },
    // Humanitarian notices: movements' routes, notified sites, and (further up) the places struck.
    {
      id: 'notice-routes',
      type: 'line',
      source: 'notices',
      filter: ['==', ['get', 'kind'], 'movement'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': NOTICE_COLOUR, 'line-width': 2.5, 'line-dasharray': [2, 1.5] },
    },
    {
      id: 'notice-sites',
      type: 'circle',
      source: 'notices',
      filter: ['==', ['get', 'kind'], 'site'],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 4, 4, 10, 7],
        'circle-color': '#ffffff',
        'circle-stroke-color': ['match', ['get', 'status'], 'escalated', '#c77700', NOTICE_COLOUR],
        'circle-stroke-width': 2.5,
      },
    },
    {
      id: 'oblast-labels',
      type: 'symbol',
      source: 'oblast-labels',
      minzoom: 4.6,
      layout: {
        'text-field': ['get', options.labelField],
        'text-font': FONT,
        'text-size': ['interpolate', ['linear'], ['zoom'], 5, 10, 8, 13],
        'text-max-width': 8,
      },
      paint: { 'text-color': '#6a7480', 'text-halo-color': '#fbfaf6', 'text-halo-width': 1.2 },
    },
    {
      id: 'incident-clusters',
      type: 'circle',
      source: 'incidents',
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': ['case', ['>', ['get', 'verified'], 0], '#8c2a20', '#23445e'],
        'circle-opacity': 0.85,
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'point_count']], 1, 11, 10, 20, 100, 34],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: 'incident-cluster-counts',
      type: 'symbol',
      source: 'incidents',
      filter: ['has', 'point_count'],
      layout: {
        'text-field': ['get', 'point_count_abbreviated'],
        'text-font': FONT,
        'text-size': 12,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': '#ffffff' },
    },
    {
      id: 'incident-points',
      type: 'circle',
      source: 'incidents',
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': statusColour,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 4, 4, 10, 7],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.2,
      },
    },
    {
      id: 'notice-struck',
      type: 'circle',
      source: 'notices',
      filter: ['==', ['get', 'kind'], 'struck'],
      paint: { 'circle-radius': 13, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#b3261e', 'circle-stroke-width': 3 },
    },
    {
      id: 'incident-selected',
      type: 'circle',
      source: 'selected',
      paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#17212b', 'circle-stroke-width': 2.5 },
    },
  ];
  return {
    version: 8,
    sources: {
      boundaries: { type: 'geojson', data: EMPTY, attribution: options.attribution },
      'oblast-labels': { type: 'geojson', data: EMPTY },
      zones: { type: 'geojson', data: EMPTY },
      // Clustered by us (cluster.ts), per view: the source gets clusters and single incidents, never 100,000 points.
      incidents: { type: 'geojson', data: EMPTY, buffer: 64, maxzoom: 14 },
      notices: { type: 'geojson', data: EMPTY },
      selected: { type: 'geojson', data: EMPTY },
    },
    layers,
  };
}

/*
 * MapLibre, set up for our CSP: the worker is the library's module worker served from our own origin
 * (Vite copies it into the build and hands us its address), never a blob built from a CDN.
 */
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

setWorkerUrl(workerUrl);

export * from 'maplibre-gl';

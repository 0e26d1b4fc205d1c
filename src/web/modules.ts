import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/*
 * Every module of Entente, in the order of the navigation. Each lives in its own folder
 * (`src/web/<id>/index.tsx`, default export = the module's page) and is loaded when first opened,
 * so a heavy module (the map, charts) does not slow down the others.
 */

export const MODULE_IDS = [
  'framework',
  'negotiation',
  'process',
  'operations',
  'guarantees',
  'exchanges',
  'prosperity',
  'stress',
  'evidence',
  'audit',
] as const;
export type ModuleId = (typeof MODULE_IDS)[number];

export interface ModuleEntry {
  readonly id: ModuleId;
  readonly path: `/${string}`;
  readonly Page: LazyExoticComponent<ComponentType>;
}

export const MODULES: readonly ModuleEntry[] = [
  { id: 'framework', path: '/framework', Page: lazy(() => import('./framework/index')) },
  { id: 'negotiation', path: '/negotiation', Page: lazy(() => import('./negotiation/index')) },
  { id: 'process', path: '/process', Page: lazy(() => import('./process/index')) },
  { id: 'operations', path: '/operations', Page: lazy(() => import('./operations/index')) },
  { id: 'guarantees', path: '/guarantees', Page: lazy(() => import('./guarantees/index')) },
  { id: 'exchanges', path: '/exchanges', Page: lazy(() => import('./exchanges/index')) },
  { id: 'prosperity', path: '/prosperity', Page: lazy(() => import('./prosperity/index')) },
  { id: 'stress', path: '/stress-test', Page: lazy(() => import('./stress/index')) },
  { id: 'evidence', path: '/evidence', Page: lazy(() => import('./evidence/index')) },
  { id: 'audit', path: '/audit', Page: lazy(() => import('./audit/index')) },
];

export function moduleAt(path: string): ModuleEntry | undefined {
  return MODULES.find((m) => m.path === path);
}

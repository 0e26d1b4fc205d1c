import { useSyncExternalStore } from 'react';

/*
 * Where the reader is inside operations, in the address: `#/operations?view=queue&case=C-12`. The
 * shell's router matches the path (`/operations`); the query after it is ours, so a case or the daily
 * report of a given cut-off can be bookmarked and shared.
 */

export const OPERATIONS_PATH = '/operations';
export const VIEWS = ['map', 'queue', 'daily'] as const;
export type View = (typeof VIEWS)[number];

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

function currentQuery(): string {
  const hash = window.location.hash;
  const q = hash.indexOf('?');
  return q < 0 ? '' : hash.slice(q + 1);
}

export interface ViewState {
  readonly view: View;
  readonly caseId: string | null;
  readonly cutoff: string | null;
}

export function parseViewState(query: string): ViewState {
  const params = new URLSearchParams(query);
  const view = params.get('view');
  const caseId = params.get('case');
  return {
    view: (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : caseId ? 'queue' : 'map',
    caseId: caseId && caseId.length <= 64 ? caseId : null,
    cutoff: params.get('cutoff'),
  };
}

export function useViewState(): ViewState {
  const query = useSyncExternalStore(subscribe, currentQuery, () => '');
  return parseViewState(query);
}

export function viewHref(view: View, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams(view === 'map' ? extra : { view, ...extra });
  const q = params.toString();
  return `#${OPERATIONS_PATH}${q ? `?${q}` : ''}`;
}

export function caseHref(caseId: string): string {
  return viewHref('queue', { case: caseId });
}

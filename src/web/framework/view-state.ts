/*
 * What the framework page shows lives in the address (`#/framework?v=3&lang=en,uk&clause=c-buffer-zone`),
 * so that a drafter can send a colleague a link to exactly this version, these languages, this clause,
 * or this comparison (`view=diff&from=2&to=3`).
 */

export type FrameworkView = 'text' | 'diff';

export interface ViewState {
  readonly view: FrameworkView;
  /** The version read; null follows the current one. */
  readonly version: number | null;
  readonly languages: readonly string[] | null;
  readonly from: number | null;
  readonly to: number | null;
  /** A clause (or article, chapter) to bring into view. */
  readonly clause: string | null;
}

const ROUTE = '/framework';

function positive(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

export function parseViewState(hash: string): ViewState {
  const query = hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  const lang = params.get('lang');
  return {
    view: params.get('view') === 'diff' ? 'diff' : 'text',
    version: positive(params.get('v')),
    languages: lang ? lang.split(',').filter(Boolean) : null,
    from: positive(params.get('from')),
    to: positive(params.get('to')),
    clause: params.get('clause'),
  };
}

export function viewStateHash(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.view === 'diff') params.set('view', 'diff');
  if (state.version !== null) params.set('v', String(state.version));
  if (state.languages && state.languages.length > 0) params.set('lang', state.languages.join(','));
  if (state.view === 'diff' && state.from !== null) params.set('from', String(state.from));
  if (state.view === 'diff' && state.to !== null) params.set('to', String(state.to));
  if (state.clause) params.set('clause', state.clause);
  const query = params.toString();
  return `#${ROUTE}${query ? `?${query}` : ''}`;
}

/** Records the state in the address without a history entry and without a `hashchange` (which would re-route). */
export function replaceViewState(state: ViewState): void {
  const hash = viewStateHash(state);
  if (window.location.hash !== hash) window.history.replaceState(window.history.state, '', hash);
}

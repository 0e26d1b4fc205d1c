import type { ModuleId } from '../modules';

/* Line icons for the navigation, drawn on a 20×20 grid; decorative (the link text carries the meaning). */

const PATHS: Record<ModuleId | 'overview', string> = {
  overview: 'M3 3h6v6H3zM11 3h6v6h-6zM3 11h6v6H3zM11 11h6v6h-6z',
  framework: 'M5 2.5h7l3 3v12H5zM12 2.5v3h3M7.5 9h5M7.5 12h5M7.5 15h3',
  negotiation: 'M2.5 5.5h9v6h-5l-3 2.5v-2.5h-1zM13.5 8.5h4v6h-1v2.5l-3-2.5h-4v-1',
  process: 'M4 4.5a1.5 1.5 0 1 0 0 .01M4 6v8M4 15.5a1.5 1.5 0 1 0 0 .01M8 5h9M8 10h7M8 15h9M4 10h2',
  operations: 'M10 17.5s-5.5-5-5.5-9a5.5 5.5 0 0 1 11 0c0 4-5.5 9-5.5 9zM10 6.5a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
  guarantees: 'M10 2.5l6 2.5v5c0 3.5-2.5 6-6 7.5-3.5-1.5-6-4-6-7.5V5zM7.5 10l2 2 3.5-4',
  exchanges: 'M3 7h12l-3-3M17 13H5l3 3',
  prosperity: 'M3 16.5h14M5 16.5v-5M9 16.5v-8M13 16.5V6M17 3.5l-4 2.5-4 2.5-4 3',
  stress: 'M2.5 10h3l2-5 3 10 2-7 1.5 2h3.5',
  evidence: 'M4 3.5h8l4 4v9H4zM12 3.5v4h4M7 11.5l2 2 4-4',
  audit: 'M10 2.5a4 4 0 0 0-4 4v2H4.5v9h11v-9H14v-2a4 4 0 0 0-4-4zM8 8.5v-2a2 2 0 0 1 4 0v2M10 11.5v3',
};

export function ModuleIcon({ id }: { readonly id: ModuleId | 'overview' }) {
  return (
    <svg className="icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      <path d={PATHS[id]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

import { describe, expect, it } from 'vitest';
import { parseViewState } from './view-state';

describe('parseViewState', () => {
  it('reads the view, the case and the cut-off from the address; the map is the default', () => {
    expect(parseViewState('')).toEqual({ view: 'map', caseId: null, cutoff: null });
    expect(parseViewState('view=daily&cutoff=2026-01-13T00:00:00.000Z')).toEqual({
      view: 'daily',
      caseId: null,
      cutoff: '2026-01-13T00:00:00.000Z',
    });
    // A case link without a view opens the queue at that case.
    expect(parseViewState('case=c-1')).toEqual({ view: 'queue', caseId: 'c-1', cutoff: null });
    expect(parseViewState('view=nonsense').view).toBe('map');
  });
});

import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/core/access/roles';
import { decideMerge } from '../../src/core/negotiation/merge';
import { MergeSelection } from '../../src/core/negotiation/model';
import { trend } from '../../src/core/negotiation/workspace';
import { seededDemoNode } from './demo-node';

const demo = seededDemoNode();

const mediator: Principal = {
  kind: 'user',
  id: 'mediator',
  username: 'mediator',
  party: null,
  roles: ['mediator'],
  grants: [],
  scopes: null,
};

describe('the negotiation demo', () => {
  it('narrows the gap over the January rounds', () => {
    const weeks = trend(demo.journal.image.negotiation, mediator);
    expect(weeks.map((w) => w.week)).toEqual(['2026-W01', '2026-W02', '2026-W03']);
    expect(weeks[0]!.meanSpread).toBeGreaterThan(weeks[1]!.meanSpread);
    expect(weeks[1]!.meanSpread).toBeGreaterThan(weeks[2]!.meanSpread);
  });

  it('has proposals in every state, and the accepted one merges cleanly into the next version', () => {
    const states = Object.fromEntries([...demo.journal.image.negotiation.proposals.values()].map((p) => [p.id, [p.state, p.kind]]));
    expect(states).toEqual({
      'demo-tr-sea-lead': ['tabled', 'alternative'],
      'demo-ua-icrc-access': ['accepted', 'amendment'],
      'demo-ru-mechanism': ['rejected', 'amendment'],
      'demo-gb-war-risk': ['draft', 'alternative'],
    });
    const merge = decideMerge(
      demo.journal.image.framework,
      demo.journal.image.negotiation,
      mediator,
      MergeSelection.parse({ proposals: ['demo-ua-icrc-access'] }),
    );
    expect(merge.ok ? merge.value.applied : merge.message).toEqual([
      { proposal: 'demo-ua-icrc-access', clause: 'c-exchange-access', change: 'amended-text', alternative: null },
    ]);
    const comments = demo.journal.image.negotiation.comments.filter((c) => c.clause === 'c-commit-sea');
    expect(comments.map((c) => c.sharing)).toEqual(['own', 'mediator', 'all', 'all']);
  });
});

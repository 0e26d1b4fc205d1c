import { describe, expect, it } from 'vitest';
import { analyseSequence, buildSequence, checksOf } from '../../src/core/process/prerequisites';
import { currentDocument, inForceAt } from '../../src/core/framework/versions';
import { milestoneFacts } from '../../src/runtime/milestones';
import { DEMO_CRITICAL_PATH } from './process-demo';
import { seededDemoNode } from './demo-node';

const demo = seededDemoNode();

describe('the January 2026 sequence in the demo', () => {
  const now = new Date().toISOString();
  const picture = () => {
    const fw = demo.journal.image.framework;
    const seq = buildSequence(demo.journal.image.process, inForceAt(fw, now)?.document ?? currentDocument(fw));
    const ctx = { process: demo.journal.image.process, framework: fw, facts: milestoneFacts(demo.journal.image), now };
    return { seq, ctx };
  };

  it('has the critical path advisers → chiefs → leaders → Berlin follow-up → leaders’ review', () => {
    const { seq } = picture();
    const a = analyseSequence(seq);
    if (!a.ok) throw new Error(a.message);
    expect(a.value.criticalPath.map((i) => seq.meetings[i]!.id)).toEqual(DEMO_CRITICAL_PATH);
  });

  it('takes the first links from the framework text and the signed-version requirement from the mediator', () => {
    const { seq, ctx } = picture();
    const leaders = checksOf(ctx, seq, 'leaders-paris-2026-01-06');
    // (the stored text keeps its requirements in canonical order, so compare them as a set)
    expect(leaders.map((c) => [c.requirement.source, c.requirement.requirement.type, c.met]).sort()).toEqual([
      ['framework', 'clauses-at-status', true],
      ['framework', 'meeting-held', true],
      ['recorded', 'version-signed', true],
    ]);
    expect(checksOf(ctx, seq, 'exchange-talks-ankara').map((c) => [c.requirement.source, c.met])).toEqual([['framework', true]]);
    // The review waits for the Berlin follow-up, the sea working group and a sea text signed by all.
    const review = checksOf(ctx, seq, 'leaders-review-2026-01-29')
      .filter((c) => !c.met)
      .map((c) => c.detail);
    expect(review).toHaveLength(3);
    expect(review[2]).toContain('c-commit-sea');
    expect(demo.journal.image.process.minutes.some((m) => m.visibility.includes('mediator') && m.visibility.length === 1)).toBe(true);
    expect(milestoneFacts(demo.journal.image).meetingHeld('leaders-paris-2026-01-06')).toBe('2026-01-06T18:00:00.000Z');
  });
});

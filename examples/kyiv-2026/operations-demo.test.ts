import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../../src/core/operations/model';
import { seededDemoNode } from './demo-node';

const demo = seededDemoNode();

describe('the operations demo', () => {
  it('has cases in every state of verification', () => {
    const statuses = new Set([...demo.journal.image.operations.cases.values()].map((c) => c.status));
    expect([...statuses].sort()).toEqual([...CASE_STATUSES].sort());
  });

  it('has a verified case where both parties’ claims disagree with the monitors, and a dissent', () => {
    const ops = demo.journal.image.operations;
    const orikhiv = [...ops.cases.values()].find((c) => c.dissents.length > 0)!;
    expect(orikhiv.status).toBe('verified');
    const kinds = orikhiv.reportIds.map((id) => ops.reports.get(id)!);
    expect(kinds.filter((r) => r.kind === 'observation').length).toBeGreaterThanOrEqual(2);
    expect(
      kinds
        .filter((r) => r.kind === 'claim')
        .map((r) => r.party)
        .sort(),
    ).toEqual(['ru', 'ua']);
    expect(orikhiv.dissents[0]!.party).toBe('ru');
    expect(orikhiv.explanations.some((e) => e.text.startsWith('grouped by rule R1'))).toBe(true);
  });

  it('records an access denial on the case the patrol could not reach, and classifies against the Paris text', () => {
    const ops = demo.journal.image.operations;
    const denial = [...ops.accessDenials.values()][0]!;
    expect(ops.cases.get(denial.caseId!)!.status).toBe('not-verified');
    const inBuffer = [...ops.reports.values()].filter((r) => ops.columns.flags[r.row]! & 1);
    expect(inBuffer.length).toBeGreaterThan(3);
    // The mediator and the US operations centre were given need to know.
    expect(demo.journal.image.identity.users.get('mediator')!.grants).toContain('exact-location');
  });
});

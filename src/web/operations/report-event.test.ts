import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../api';
import { mergeReport, reportFromEvent } from './report-event';

const envelope = (type: string, payload: Record<string, unknown>, position = 28): JournalEvent => ({
  position,
  stream: 'report/R-28',
  streamVersion: 1,
  type,
  payload,
  actor: 'monitor',
  party: 'mechanism',
  visibility: ['process'],
  recordedAt: '2026-01-05T10:00:00.000Z',
  idempotencyKey: null,
  prevHash: '0'.repeat(64),
  hash: '1'.repeat(64),
});

const fields = {
  occurredAt: '2026-01-05T09:40:00.000Z',
  location: { lon: 37.8, lat: 48.0 },
  domain: 'land',
  type: 'airburst',
  source: 'patrol-heard',
  narrative: 'Two airbursts.',
};

describe('reportFromEvent', () => {
  it('reads the report from a report.filed event, filling in what the envelope knows', () => {
    expect(reportFromEvent(envelope('report.filed', { ...fields, reportedBy: 'monitor' }))).toEqual({
      ...fields,
      id: 'R-28',
      position: 28,
      reportedBy: 'monitor',
      party: 'mechanism',
    });
    expect(reportFromEvent(envelope('report.filed', { report: fields }))?.narrative).toBe('Two airbursts.');
  });

  it('takes the id from the payload and the point that stands for an area', () => {
    const area = {
      type: 'area',
      polygon: [
        [
          [37, 48],
          [38, 48],
          [38, 49],
          [37, 48],
        ],
      ],
      precision_m: 1000,
    };
    const report = reportFromEvent(envelope('report.recorded', { ...fields, id: 'R-7', location: area, point: { lon: 37.5, lat: 48.3 } }));
    expect(report?.id).toBe('R-7');
    expect(report?.location).toEqual({ lon: 37.5, lat: 48.3 });
  });

  it('ignores other events and malformed payloads', () => {
    expect(reportFromEvent(envelope('party.created', { id: 'ua' }))).toBeNull();
    expect(reportFromEvent(envelope('report.filed', { narrative: 'no location' }))).toBeNull();
  });
});

describe('mergeReport', () => {
  it('keeps one entry per report when both the exact and the coarse event arrive', () => {
    const exact = reportFromEvent(envelope('report.filed', { ...fields, id: 'R-9' }, 40))!;
    const coarse = reportFromEvent(envelope('report.recorded', { ...fields, id: 'R-9', location: { lon: 37.8, lat: 48.05 } }, 41))!;
    const older = reportFromEvent(envelope('report.filed', { ...fields, id: 'R-1' }, 12))!;
    const list = mergeReport(mergeReport(mergeReport([], older), exact), coarse);
    expect(list.map((r) => r.id)).toEqual(['R-9', 'R-1']);
    expect(list[0]!.location).toEqual({ lon: 37.8, lat: 48.0 });
  });
});

import { describe, expect, it } from 'vitest';
import type { JournalEvent } from '../api';
import { reportFromEvent } from './report-event';

const envelope = (type: string, payload: Record<string, unknown>): JournalEvent => ({
  position: 28,
  stream: 'report-intake/mechanism',
  streamVersion: 6,
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

  it('ignores other events and malformed payloads', () => {
    expect(reportFromEvent(envelope('party.created', { id: 'ua' }))).toBeNull();
    expect(reportFromEvent(envelope('report.filed', { narrative: 'no location' }))).toBeNull();
  });
});

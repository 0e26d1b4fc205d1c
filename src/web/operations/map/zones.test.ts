import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFramework } from '../../../core/framework/validate';
import { zonesOf } from './zones';

const source = readFileSync(join(import.meta.dirname, '../../../../examples/kyiv-2026/framework.yaml'), 'utf8');
const doc = validateFramework(source, 'framework.yaml').document!;

describe('zonesOf (the zones a framework draws on the map)', () => {
  const zones = zonesOf(doc);
  const byId = (id: string) => zones.features.filter((f) => f.properties.id === id);

  it('draws each agreed zone of the example with its kind: contact line, corridor, its buffer, airspace', () => {
    expect(byId('contact-line').map((f) => [f.properties.kind, f.properties.standing])).toEqual([['contact-line', 'agreed']]);
    expect(byId('black-sea-corridor').map((f) => f.properties.kind)).toEqual(['maritime-corridor']);
    // A buffer along a corridor protects shipping: it is told apart from the front-line buffer.
    expect(byId('corridor-buffer').map((f) => f.properties.kind)).toEqual(['corridor-buffer']);
    expect(byId('air-policing-area').map((f) => f.properties.kind)).toEqual(['airspace-area']);
  });

  it('draws the bracketed buffer zone as two proposals, each with who proposed it, never as agreed', () => {
    const buffers = byId('contact-line-buffer');
    expect(buffers).toHaveLength(2);
    expect(buffers.every((f) => f.properties.standing === 'proposed' && f.properties.kind === 'buffer-zone')).toBe(true);
    expect(buffers.map((f) => f.properties.width_m).sort()).toEqual([15000, 5000]);
    expect(buffers.map((f) => f.properties.proposedBy).sort()).toEqual(['fr, gb, ua', 'ru']);
  });

  it('lists the withdrawal distances (a rule of distance, not a drawn line) and the public precision', () => {
    expect(zones.withdrawals).toHaveLength(1);
    expect(zones.withdrawals[0]!.withdrawals.find((w) => w.weaponClass === 'mlrs')?.distance_m).toBe(70000);
    expect(byId('heavy-weapons-withdrawal')).toEqual([]);
    expect(zones.publicPrecision_m).toBe(5000);
  });

  it('puts areas before lines, so lines are drawn on top', () => {
    const kinds = zones.features.map((f) => (f.geometry.type.endsWith('Polygon') ? 'area' : 'line'));
    expect(kinds.indexOf('line')).toBeGreaterThan(kinds.lastIndexOf('area'));
  });
});

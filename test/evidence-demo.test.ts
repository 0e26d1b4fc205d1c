import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { seededDemoNode } from '../examples/kyiv-2026/demo-node';

/** The evidence demo seeds real files and a coherent custody story, and exports into a package that verifies. */

const demo = seededDemoNode({ prefix: 'entente-evidence-demo-', signed: true, files: true });

describe('evidence demo', () => {
  it('puts the items on the Orikhiv case, with a flagged counter-claim, records, a published redaction and a sealed witness', () => {
    const items = [...demo.journal.image.evidence.items.values()];
    expect(items.map((i) => i.file.filename).sort()).toEqual([
      'mortar-position.jpg',
      'orikhiv-building.jpg',
      'orikhiv-crater-0755.jpg',
      'orikhiv-crater-redacted.jpg',
    ]);
    const counter = items.find((i) => i.file.filename === 'mortar-position.jpg')!;
    expect(counter.discrepancies.map((d) => d.code).sort()).toEqual(['exif-position-differs', 'exif-time-differs']);
    expect(counter.challenges.map((c) => c.kind)).toEqual(['challenge', 'counter-claim']);
    const crater = items.find((i) => i.file.filename === 'orikhiv-crater-0755.jpg')!;
    expect(crater.discrepancies).toEqual([]);
    expect(crater.verifications.map((v) => v.kind)).toEqual(['technical', 'content']);
    expect(crater.custodian).toBe('secretariat');
    expect(items.find((i) => i.kind === 'derivative')!.published).not.toBeNull();
    expect(items.find((i) => i.file.filename === 'orikhiv-building.jpg')!.reporterSealed).toBe(true);
  });

  it('exports the case into a package that verifies', async () => {
    const caseId = [...demo.journal.image.evidence.items.values()][0]!.caseId!;
    const out = join(demo.dir, 'bag');
    const lines: string[] = [];
    const io = {
      stdout: (t: string) => void lines.push(t),
      stderr: (t: string) => void lines.push(t),
      readFile: async (p: string) => readFileSync(p, 'utf8'),
      readStdin: async () => '',
    };
    expect(await main(['evidence', 'export', '--case', caseId, '--out', out, '--data', demo.dir], io)).toBe(0);
    expect(await main(['evidence', 'verify', out], io)).toBe(0);
    expect(lines.join('\n')).toContain('ok 4 item(s)');
  });
});

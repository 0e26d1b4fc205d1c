import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureText, seededDataDir, type tempDir } from '../../../test/factories';
import { seedFrameworks } from '../../../test/operations-fixtures';
import { decideActor, decideCommitment, decidePledge, decideProject, decideTranche, type Decision } from '../../core/prosperity/commands';
import { ActorInput, CommitmentInput, PledgeInput, ProjectInput, TrancheInput } from '../../core/prosperity/model';
import { NO_MILESTONES } from '../../core/milestones';
import { currentDocument } from '../../core/framework/versions';
import type { Result } from '../../core/errors';
import { prosperityCommand } from './prosperity';

let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  dir = await seededDataDir(async (journal) => {
    await seedFrameworks(journal);
    const s = () => journal.image.prosperity;
    const version = (stream: string) => journal.image.index.streams.get(stream) ?? 0;
    const append = async (d: Result<Decision>) => {
      if (!d.ok) throw new Error(d.message);
      const r = await journal.append({ drafts: d.value.drafts, actor: 'donor-user', party: 'eu', expected: d.value.expected });
      if (!r.ok) throw new Error(r.message);
    };
    await append(decideActor(s(), ActorInput.parse({ id: 'eu', name: 'European Commission', kind: 'multilateral' })));
    await append(decideActor(s(), ActorInput.parse({ id: 'grid', name: 'Grid operator', kind: 'recipient' })));
    await append(
      decideProject(
        s(),
        ProjectInput.parse({ id: 'substation', title: 'Substation', sector: 'energy', oblast: 'UA-23', recipient: 'grid' }),
      ),
    );
    await append(
      decidePledge(
        s(),
        'p',
        PledgeInput.parse({ donor: 'eu', instrument: 'grant', currency: 'EUR', amount: '100.00', on: '2026-01-08', title: 'grant' }),
      ),
    );
    await append(
      decideCommitment(
        s(),
        'c',
        CommitmentInput.parse({ pledge: 'p', project: 'substation', amount: '100.00', on: '2026-01-09' }),
        version('pledge/p'),
      ),
    );
    const ctx = {
      document: currentDocument(journal.image.framework),
      parties: new Set<string>(),
      milestones: NO_MILESTONES,
      users: new Map([['donor-user', ['donor']]]),
    };
    await append(
      decideTranche(
        s(),
        't',
        TrancheInput.parse({
          commitment: 'c',
          label: 'first',
          amount: '100.00',
          approver: 'donor-user',
          plannedOn: '2026-02-10',
          conditions: [{ type: 'framework', condition: 'funding-first' }],
        }),
        version('pledge/p'),
        ctx,
      ),
    );
  });
});
afterAll(() => dir.remove());

const io = captureText;

describe('entente prosperity', () => {
  it('says what a tranche waits for, at any instant', async () => {
    const before = io();
    expect(await prosperityCommand(['status', '--at', '2026-01-20T00:00:00Z', '--data', dir.path], before)).toBe(0);
    expect(before.out).toMatch(/^t {2}locked {2}100\.00 EUR {2}waiting for: ceasefire held 30 days in contact-line-buffer/);
    const after = io();
    expect(await prosperityCommand(['status', '--at', '2026-02-10T00:00:00Z', '--data', dir.path], after)).toBe(0);
    expect(after.out).toMatch(/^t {2}releasable/);
  });

  it('writes the IATI and OCDS exports', async () => {
    const out = join(dir.path, 'iati.xml');
    expect(await prosperityCommand(['export', 'iati', '--out', out, '--data', dir.path], io())).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<iati-identifier>XI-IATI-ENTENTE-substation</iati-identifier>');
    const ocds = io();
    expect(await prosperityCommand(['export', 'ocds', '--data', dir.path], ocds)).toBe(0);
    expect(JSON.parse(ocds.out)).toMatchObject({ version: '1.1', releases: [{ ocid: 'ocds-entente-c' }] });
  });

  it('refuses an unknown format with the usage', async () => {
    await expect(prosperityCommand(['export', 'csv', '--data', dir.path], io())).rejects.toThrow(/usage: entente prosperity/);
  });
});

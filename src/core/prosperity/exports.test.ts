import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { validateXML } from 'xmllint-wasm';
import { describe, expect, it } from 'vitest';
import { twoVersionState } from '../../../test/operations-fixtures';
import { NO_MILESTONES } from '../milestones';
import { CeasefireRecord } from './ceasefire';
import { decideDisbursement, decideExpenditure, decideRelease } from './commands';
import { iatiActivities } from './iati';
import { DisbursementInput, ExpenditureInput } from './model';
import { ocdsReleasePackage } from './ocds';
import { samplePackage } from './testing';
import { evaluateAll } from './views';

const SCHEMAS = join(import.meta.dirname, '../../../../shared/schemas');
const NOW = '2026-03-01T12:00:00.000Z';

function builtPackage() {
  const framework = twoVersionState();
  const b = samplePackage(framework);
  const facts = { framework, ceasefire: new CeasefireRecord(), milestones: NO_MILESTONES, attestations: [] };
  const t = Date.parse(NOW);
  const evaluations = evaluateAll(b.state, facts, t);
  const donor = { kind: 'user' as const, id: 'u', username: 'donor', party: 'eu', roles: ['donor' as const], grants: [], scopes: null };
  b.apply(
    decideRelease(b.state, 'eu-substation-1', donor, { note: '' }, evaluations.get('eu-substation-1')!, b.version('pledge/eu-facility')),
  );
  b.apply(
    decideDisbursement(
      b.state,
      'eu-substation-1',
      'd-1',
      DisbursementInput.parse({ amount: '2500000.50', on: '2026-02-20' }),
      b.version('pledge/eu-facility'),
    ),
  );
  b.apply(
    decideExpenditure(
      b.state,
      'eu-substation-1',
      'x-1',
      ExpenditureInput.parse({ amount: '1000000.25', on: '2026-02-25', description: 'Transformers & switchgear <lot 1>' }),
      b.version('pledge/eu-facility'),
    ),
  );
  return { state: b.state, evaluations: evaluateAll(b.state, facts, t) };
}

async function validateIati(xml: string) {
  const file = (name: string) => ({ fileName: name, contents: readFileSync(join(SCHEMAS, 'iati', name), 'utf8') });
  return validateXML({
    xml: [{ fileName: 'activities.xml', contents: xml }],
    schema: [file('iati-activities-schema.xsd')],
    preload: [file('iati-common.xsd'), file('xml.xsd')],
  });
}

function ocdsValidator() {
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, 'ocds/release-schema.json'), 'utf8')));
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'ocds/release-package-schema.json'), 'utf8')));
}

describe('IATI 2.03 export', () => {
  it('validates against the IATI activity schema, with commitments, disbursements, expenditures, planned tranches and conditions', async () => {
    const { state, evaluations } = builtPackage();
    const xml = iatiActivities(state, evaluations, NOW);
    const r = await validateIati(xml);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(xml).toContain('<iati-identifier>XI-IATI-ENTENTE-zp-substation</iati-identifier>');
    expect(xml).toContain(
      '<transaction-type code="3"/><transaction-date iso-date="2026-02-20"/><value currency="EUR" value-date="2026-02-20">2500000.50</value>',
    );
    expect(xml).toContain('Transformers &amp; switchgear &lt;lot 1&gt;');
    expect(xml).toContain('<sector vocabulary="1" code="23630"');
    expect(xml).toMatch(/<condition type="2"><narrative>Tranche &quot;second tranche&quot;.*State: locked/);
  });

  it('the validator catches a broken document (so the test above can fail)', async () => {
    const { state, evaluations } = builtPackage();
    const broken = iatiActivities(state, evaluations, NOW).replace('<activity-status code="2"/>', '');
    expect((await validateIati(broken)).valid).toBe(false);
  });
});

describe('OCDS 1.1 release package export', () => {
  it('validates against the release package schema, amounts as exact decimal literals', () => {
    const { state, evaluations } = builtPackage();
    const text = ocdsReleasePackage(state, evaluations, NOW, 'https://entente.example/api/v1/prosperity/ocds.json');
    const validate = ocdsValidator();
    const pkg = JSON.parse(text) as {
      releases: {
        ocid: string;
        contracts: { milestones: { id: string; status: string }[]; implementation: { transactions: unknown[] } }[];
        relatedProcesses?: { identifier: string }[];
      }[];
    };
    expect(validate(pkg), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(text).toContain('"amount": 2500000.50');
    const sub = pkg.releases.find((r) => r.ocid === 'ocds-entente-eu-substation')!;
    expect(sub.contracts[0]!.milestones.map((m) => [m.id, m.status])).toEqual([
      ['eu-substation-1', 'met'],
      ['eu-substation-2', 'notMet'],
    ]);
    expect(sub.contracts[0]!.implementation.transactions).toHaveLength(1);
    expect(sub.relatedProcesses![0]!.identifier).toBe('ocds-be6bcu-UA-2026-01-12-000417-a');
  });

  it('the validator catches a broken package', () => {
    const { state, evaluations } = builtPackage();
    const pkg = JSON.parse(ocdsReleasePackage(state, evaluations, NOW, 'https://x.example/p.json')) as {
      releases: Record<string, unknown>[];
    };
    delete pkg.releases[0]!.ocid;
    expect(ocdsValidator()(pkg)).toBe(false);
  });
});

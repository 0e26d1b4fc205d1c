import { parseArgs } from 'node:util';
import { parseFrameworkSource } from '../../core/framework/parse';
import { validateFramework } from '../../core/framework/validate';
import { BLOCKING_CODES, checkCoverage, FINDING_CODES, type CoverageFinding, type CoverageReport } from '../../core/guarantees/coverage';
import { REPORT_TYPES } from '../../core/operations/model';

/**
 * `entente coverage FILE [--json] [--strict]`: the coverage check of the guarantees before signing.
 * Reads and validates the framework, checks every text its brackets can produce, prints the findings
 * grouped by kind with `FILE:LINE:COL` of the clause to fix, and exits 1 when a gap or a dead end
 * exists (with --strict, when anything at all is found), 0 otherwise; 2 on a usage mistake.
 */

export interface CoverageIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): Promise<string>;
}

const USAGE = `usage: entente coverage FILE [--json] [--strict]
  Checks who responds to which breach, where, in every text the brackets can produce.
  Exits 1 when a gap or a dead end exists (--strict: any finding), 0 otherwise.`;

const TITLES: Record<(typeof FINDING_CODES)[number], string> = {
  gap: 'Gaps: no lead responder',
  'dead-end': 'Dead ends: a ladder that stops',
  'missing-backup': 'No backup responder',
  overlap: 'Overlaps: two leads',
  'conflict-party-veto': 'Veto or decision by a party to the conflict',
  'ambiguous-trigger': 'Ambiguous triggers',
  'unreachable-trigger': 'Unreachable triggers',
  'circular-activation': 'Circular activation',
};

export async function coverageCommand(argv: string[], io: CoverageIo): Promise<number> {
  let values: { json?: boolean; strict?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, strict: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (e) {
    io.stderr(`entente coverage: ${(e as Error).message.replace(/\. To specify a positional argument.*$/s, '')}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) {
    io.stderr(`entente coverage: give one FILE\n${USAGE}\n`);
    return 2;
  }
  const file = positionals[0]!;
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (e) {
    io.stderr(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 1;
  }
  const validation = validateFramework(text, file);
  if (!validation.document) {
    const errors = validation.problems.filter((p) => p.severity === 'error');
    io.stderr(
      errors.map((p) => `${file}:${p.line}:${p.col}: error: ${p.message}`).join('\n') +
        `\n${file}: the framework is invalid (${errors.length} error(s)), so its coverage cannot be checked; run "entente framework validate ${file}"\n`,
    );
    return 1;
  }
  const source = parseFrameworkSource(text, file);
  const report = checkCoverage(validation.document, { breachTypeVocabulary: REPORT_TYPES });
  const blocking = report.findings.filter((f) => BLOCKING_CODES.includes(f.code)).length;
  const code = blocking > 0 || (values.strict === true && report.findings.length > 0) ? 1 : 0;
  const at = (f: CoverageFinding) => (f.pointers[0] === undefined ? { line: 1, col: 1 } : source.locate(f.pointers[0]));

  if (values.json) {
    io.stdout(
      JSON.stringify(
        {
          file,
          variants: {
            branching: report.variants.branching,
            combinations: report.variants.combinations,
            complete: report.variants.complete,
            checked: report.variants.variants.map((v) => v.label),
          },
          findings: report.findings.map((f) => ({ ...f, ...at(f) })),
          summary: summary(report),
          exitCode: code,
        },
        null,
        2,
      ) + '\n',
    );
    return code;
  }

  const lines: string[] = [];
  const v = report.variants;
  const branching = v.branching.map((b) => `${b.clause} ${b.alternatives.map((a) => a.label).join('/')}`).join(' × ');
  lines.push(
    `${file}: ${v.variants.length} text${v.variants.length === 1 ? '' : 's'} checked` +
      (branching
        ? ` (${branching}${v.complete ? '' : `; ${v.combinations} combinations, each alternative tried against the first alternatives of the others`})`
        : ''),
  );
  for (const codeName of FINDING_CODES) {
    const group = report.findings.filter((f) => f.code === codeName);
    if (group.length === 0) continue;
    lines.push('', `${TITLES[codeName]} (${group.length})`);
    for (const f of group) {
      const p = at(f);
      const clauses = f.clauses.length ? ` [clause${f.clauses.length > 1 ? 's' : ''} ${f.clauses.join(', ')}]` : '';
      lines.push(`  ${file}:${p.line}:${p.col}: ${f.severity}: ${f.message}${clauses}`);
    }
  }
  const s = summary(report);
  const verdict = code === 1 ? (blocking > 0 ? 'not ready to sign' : 'findings under --strict') : 'no gap and no dead end';
  lines.push(
    '',
    `${file}: ${s.gaps} gap${s.gaps === 1 ? '' : 's'}, ${s.deadEnds} dead end${s.deadEnds === 1 ? '' : 's'}, ${s.warnings} other finding${s.warnings === 1 ? '' : 's'}: ${verdict}`,
  );
  io.stdout(lines.join('\n') + '\n');
  return code;
}

function summary(report: CoverageReport): { gaps: number; deadEnds: number; warnings: number; blocking: boolean } {
  const gaps = report.findings.filter((f) => f.code === 'gap').length;
  const deadEnds = report.findings.filter((f) => f.code === 'dead-end').length;
  return { gaps, deadEnds, warnings: report.findings.length - gaps - deadEnds, blocking: report.blocking };
}

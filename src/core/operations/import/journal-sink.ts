import type { ReportIntake } from '../intake';
import type { ReportInput } from '../model';
import { decideReport, reportIdForExternalRef, type IntakeView, type Reporter } from '../report';
import type { ReportSink, SinkOutcome } from './run-import';

/**
 * The sink that files imported reports through operations intake — the same code path as a report
 * sent to the API: classified against the zones in force when it happened, coarsened, grouped into
 * a case. Each report is its own append (one bad report never takes another with it); a batch is
 * submitted at once, so the journal groups the appends into few commits. The report's id derives
 * from its externalRef and its stream must be new, so the same record imported twice — even by two
 * nodes at once — is stored once.
 */
export interface IntakeAccess {
  readonly intake: ReportIntake;
  /** The memory image as intake reads it, for dry runs (deciding without appending). */
  view(): IntakeView;
  now(): Date;
}

export function importSink(access: IntakeAccess, reporter: Reporter): ReportSink {
  const idOf = (input: ReportInput, i: number) => reportIdForExternalRef(input.externalRef ?? `import-row:${i}:${input.occurredAt}`);
  return async (inputs, { dryRun }) => {
    if (dryRun) {
      const view = access.view();
      const now = access.now();
      return inputs.map((input, i): SinkOutcome => {
        const d = decideReport(view, input, { now, reporter, id: idOf(input, i) });
        if (!d.ok) return { kind: 'refused', reason: reasonOf(d) };
        return d.value.kind === 'duplicate' ? { kind: 'duplicate', id: d.value.id } : { kind: 'imported', id: idOf(input, i) };
      });
    }
    const filed = await access.intake.submitMany(
      inputs.map((input, i) => ({ input, options: { id: idOf(input, i) } })),
      reporter,
    );
    return filed.map((f): SinkOutcome => {
      if (f.ok) return f.value.duplicate ? { kind: 'duplicate', id: f.value.id } : { kind: 'imported', id: f.value.id };
      if (f.code === 'unavailable') return { kind: 'unavailable', reason: f.message };
      return { kind: 'refused', reason: reasonOf(f) };
    });
  };
}

function reasonOf(f: { message: string; pointer?: string }): string {
  return f.pointer && !f.message.includes(f.pointer.slice(1)) ? `${f.pointer.slice(1)}: ${f.message}` : f.message;
}

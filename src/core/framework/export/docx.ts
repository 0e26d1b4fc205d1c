import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { hashFramework } from '../hash';
import type { Framework } from '../model';
import { clauseSites } from '../traverse';
import { PartyNames, chooseLanguages, clauseSegments, describePart, labelsFor, roman, type Segment } from './render';

export interface DocxOptions {
  readonly languages?: readonly string[];
  readonly parts?: boolean;
}

/**
 * A Word document of a framework version (the form delegations circulate and mark up). One language
 * as running text, or several side by side in a two-column table per article. Alternatives keep the
 * bracket convention; their labels are bold and the proposers in italics.
 */
export async function exportDocx(doc: Framework, options: DocxOptions = {}): Promise<Uint8Array> {
  const langs = chooseLanguages(doc, options.languages);
  const showParts = options.parts ?? true;
  const names = new PartyNames(doc);
  const { sha256 } = hashFramework(doc);
  const both = (pick: (lang: string) => string): string => langs.map(pick).join(' / ');
  const children: Array<Paragraph | Table> = [];

  children.push(new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(both((l) => doc.process.title[l] ?? ''))] }));
  const meta = [
    doc.process.version ? `${labelsFor(langs[0]!).version}: ${doc.process.version}` : null,
    doc.process.date ?? null,
    `sha256 ${sha256}`,
  ].filter((x): x is string => x !== null);
  children.push(new Paragraph({ children: [new TextRun({ text: meta.join(' · '), italics: true, size: 18 })] }));

  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(both((l) => labelsFor(l).parties))] }));
  for (const p of doc.parties) {
    children.push(
      new Paragraph({
        children: [
          new TextRun({ text: `${p.short ?? p.id.toUpperCase()} — `, bold: true }),
          new TextRun(`${both((l) => p.name[l] ?? p.id)} (${p.roles.join(', ')})`),
        ],
      }),
    );
  }
  if (doc.definitions.length > 0) {
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(both((l) => labelsFor(l).definitions))] }));
    for (const d of doc.definitions) {
      for (const l of langs)
        children.push(
          new Paragraph({
            children: [new TextRun({ text: `${d.term[l] ?? d.id}: `, bold: true }), new TextRun(d.text[l] ?? `[${labelsFor(l).pending}]`)],
          }),
        );
    }
  }

  const sites = [...clauseSites(doc)];
  doc.chapters.forEach((ch, c) => {
    children.push(
      new Paragraph({
        heading: HeadingLevel.HEADING_1,
        children: [new TextRun(both((l) => `${labelsFor(l).chapter} ${roman(c + 1)}. ${ch.title[l] ?? ''}`))],
      }),
    );
    for (const art of ch.articles) {
      const clauses = sites.filter((s) => s.article === art);
      const number = clauses[0]?.articleNumber ?? 0;
      children.push(
        new Paragraph({
          heading: HeadingLevel.HEADING_2,
          children: [new TextRun(both((l) => `${labelsFor(l).article} ${number}. ${art.title[l] ?? ''}`))],
        }),
      );
      if (langs.length === 1) {
        for (const s of clauses)
          children.push(
            new Paragraph({ children: [new TextRun(`${s.clauseIndex + 1}. `), ...runs(clauseSegments(s.clause, langs[0]!, names))] }),
          );
      } else {
        const width = Math.floor(100 / langs.length);
        children.push(
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: clauses.map(
              (s) =>
                new TableRow({
                  children: langs.map(
                    (l) =>
                      new TableCell({
                        width: { size: width, type: WidthType.PERCENTAGE },
                        children: [
                          new Paragraph({ children: [new TextRun(`${s.clauseIndex + 1}. `), ...runs(clauseSegments(s.clause, l, names))] }),
                        ],
                      }),
                  ),
                }),
            ),
          }),
        );
      }
      if (showParts) {
        for (const s of clauses) {
          const parts = [
            s.clause.part ? describePart(s.clause.part) : null,
            ...s.clause.alternatives.map((a) => (a.part ? `[${a.label ?? ''}] ${describePart(a.part)}` : null)),
          ].filter((x): x is string => x !== null);
          for (const p of parts)
            children.push(
              new Paragraph({
                alignment: AlignmentType.LEFT,
                children: [new TextRun({ text: `${s.clauseIndex + 1}. machine-readable: ${p}`, italics: true, size: 16, color: '555555' })],
              }),
            );
        }
      }
    }
  });

  const document = new Document({
    title: doc.process.title[langs[0]!] ?? doc.process.id,
    description: `Entente framework ${doc.process.id}, sha256 ${sha256}`,
    creator: 'Entente',
    sections: [{ children }],
  });
  return Packer.pack(document, 'uint8array');
}

function runs(segments: readonly Segment[]): TextRun[] {
  return segments.map((s) => {
    switch (s.style) {
      case 'label':
        return new TextRun({ text: s.text, bold: true });
      case 'proposers':
      case 'note':
        return new TextRun({ text: s.text, italics: true });
      case 'deleted':
        return new TextRun({ text: s.text, strike: true });
      default:
        return new TextRun(s.text);
    }
  });
}

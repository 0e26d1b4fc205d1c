import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { hashFramework } from '../hash';
import type { Framework } from '../model';
import { validateFramework } from '../validate';
import { exportAkomaNtoso } from './akoma-ntoso';
import { exportDocx } from './docx';
import { exportMarkdown } from './markdown';

const EXAMPLE = readFileSync(join(import.meta.dirname, '../../../../examples/kyiv-2026/framework.yaml'), 'utf8');
const doc = validateFramework(EXAMPLE, 'framework.yaml').document!;
const { sha256 } = hashFramework(doc);

describe('Markdown', () => {
  const md = exportMarkdown(doc);

  it('renders brackets the way diplomats read them, with proposers in protocol order', () => {
    expect(md).toContain(
      'The response at sea is led [**A:** by the Republic of Türkiye, which decides alone, in the corridor and its buffer; the United Kingdom is the backup responder. _(proposed by UA, UK, TR)_] [**B:** by the Coalition of the Willing, acting by consensus of its members, in the corridor itself. _(proposed by US, FR)_]',
    );
  });

  it('carries the version hash, numbers articles through the document, and describes machine-readable parts', () => {
    expect(md).toContain(`sha256 \`${sha256}\``);
    expect(md).toMatch(/^### Article 15\. Sea$/m);
    expect(md).toMatch(
      /_machine-readable:_ commitment commit-sea: sea, guarantors coalition; zones black-sea-corridor; .*lead coalition, no backup/,
    );
  });

  it('puts two languages side by side in a table, marking missing translations', () => {
    const both = exportMarkdown(doc, { languages: ['en', 'uk'] });
    expect(both).toMatch(/^### Article 1\. Purpose \/ Стаття 1\. Мета$/m);
    const row = both.split('\n').find((l) => l.includes('id="c-thanks"'))!;
    expect(row).toMatch(/^\| 3\. <a id="c-thanks"><\/a> \| The participants thank .* \| _\\\[переклад очікується\\\]_ _\(відкрито\)_ \|$/);
    const commission = both.split('\n').find((l) => l.includes('id="c-commission"'))!;
    expect(commission).toContain('[**B:** консенсусом своїх членів. _(пропозиція: US, TR)_]');
    // Every table row has the same number of cells: nothing in the prose broke the table.
    for (const line of both.split('\n').filter((l) => l.startsWith('| 1.') || l.startsWith('| 2.'))) {
      expect(line.split(/(?<!\\)\|/).length, line).toBe(5);
    }
  });

  it('escapes Markdown in prose, so a bracket in the text is not mistaken for an alternative', () => {
    const tricky: Framework = structuredClone(doc);
    tricky.chapters[0]!.articles[0]!.clauses[0]!.text.en = 'Use *all* means [sic] | here';
    const out = exportMarkdown(tricky);
    expect(out).toContain('Use \\*all\\* means \\[sic\\] \\| here');
  });
});

describe('DOCX', () => {
  it('produces a Word package whose document.xml holds the clauses and the bracketed alternatives', async () => {
    const bytes = await exportDocx(doc, { languages: ['en', 'uk'] });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes[0]).toBe(0x50); // "PK": a zip package
    const zip = await JSZip.loadAsync(bytes);
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(XMLValidator.validate(xml)).toBe(true);
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    expect(text).toContain('A complete and comprehensive ceasefire takes effect');
    expect(text).toContain('Повне та всеосяжне припинення вогню набуває чинності');
    expect(text).toContain('(proposed by RU)');
    expect(text).toContain(sha256);
    expect(xml).toContain('<w:tbl>'); // two languages side by side
    expect(await zip.file('[Content_Types].xml')!.async('string')).toContain('wordprocessingml');
  });

  it('writes one language as running text', async () => {
    const zip = await JSZip.loadAsync(await exportDocx(doc, { languages: ['uk'] }));
    const xml = await zip.file('word/document.xml')!.async('string');
    expect(xml).not.toContain('<w:tbl>');
    expect(xml).toContain('Стаття 3. Припинення вогню');
  });
});

describe('Akoma Ntoso', () => {
  const xml = exportAkomaNtoso(doc);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    isArray: (name) => ['chapter', 'article', 'paragraph', 'p', 'organization', 'TLCOrganization'].includes(name),
  });
  type Node = Record<string, unknown>;
  const root = parser.parse(xml) as Node;
  const act = (root.akomaNtoso as Node).act as Node;
  const chapters = (act.body as Node).chapter as Node[];
  const articles = chapters.flatMap((c) => c.article as Node[]);
  const paragraphs = articles.flatMap((a) => a.paragraph as Node[]);

  it('is well-formed XML in the AKN 3.0 namespace', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect((root.akomaNtoso as Node)['@xmlns']).toBe('http://docs.oasis-open.org/legaldocml/ns/akn/3.0');
  });

  it('gives every chapter, article and paragraph a unique eId, and keeps stable ids as wId', () => {
    const eIds = [...chapters, ...articles, ...paragraphs].map((n) => n['@eId']);
    expect(eIds.every((e) => typeof e === 'string' && e.length > 0)).toBe(true);
    expect(new Set(eIds).size).toBe(eIds.length);
    expect(articles).toHaveLength(doc.chapters.reduce((n, c) => n + c.articles.length, 0));
    expect(articles.map((a) => a['@eId'])).toContain('art_15');
    expect(paragraphs.find((p) => p['@wId'] === 'c-commit-sea')?.['@eId']).toBe('art_15__para_1');
  });

  it('points every alternative at an existing paragraph with alternativeTo, naming its proposers', () => {
    const alternatives = paragraphs.filter((p) => p['@alternativeTo'] !== undefined);
    expect(alternatives.length).toBeGreaterThanOrEqual(12);
    const eIds = new Set(paragraphs.map((p) => p['@eId']));
    for (const alt of alternatives) expect(eIds.has(alt['@alternativeTo'])).toBe(true);
    const seaB = alternatives.find((p) => p['@wId'] === 'c-commit-sea-b')!;
    expect(seaB['@alternativeTo']).toBe('art_15__para_1');
    const proposers = ((seaB.content as Node).p as Node[])
      .flatMap((p) => (p.organization as Node[] | undefined) ?? [])
      .map((o) => o['@refersTo']);
    expect(proposers).toEqual(['#party_fr', '#party_us']);
  });

  it('writes one language per expression and escapes the text', () => {
    const uk = exportAkomaNtoso(doc, { language: 'uk' });
    expect(uk).toContain('<FRBRlanguage language="ukr"/>');
    expect(uk).toContain('<num>Стаття 15</num>');
    const tricky: Framework = structuredClone(doc);
    tricky.chapters[0]!.articles[0]!.clauses[0]!.text.en = 'A & B <script> "quoted"';
    const out = exportAkomaNtoso(tricky);
    expect(XMLValidator.validate(out)).toBe(true);
    expect(out).toContain('A &amp; B &lt;script&gt; "quoted"');
  });
});

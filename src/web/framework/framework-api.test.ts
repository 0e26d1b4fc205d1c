import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffFrameworks } from '../../core/framework/diff';
import { validateFramework } from '../../core/framework/validate';
import { FrameworkDiff, FrameworkVersionDocument, frameworkExportUrl } from '../api';

const source = readFileSync(join(import.meta.dirname, '../../../examples/kyiv-2026/framework.yaml'), 'utf8');
const doc = validateFramework(source, 'framework.yaml').document!;
const version = {
  number: 3,
  hash: 'a'.repeat(64),
  languages: { en: 'b'.repeat(64) },
  recordedAt: '2026-01-06T10:00:00Z',
  recordedBy: 'mediator',
  note: '',
  title: 'T',
};

describe('the framework answers as the web app reads them', () => {
  it('takes a stored document as the server sends it (JSON) and refuses one without chapters', () => {
    const wire = JSON.parse(JSON.stringify({ version, document: doc })) as unknown;
    const parsed = FrameworkVersionDocument.safeParse(wire);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.document.chapters.length).toBe(doc.chapters.length);
    const broken = JSON.parse(JSON.stringify({ version, document: { ...doc, chapters: undefined } })) as unknown;
    expect(FrameworkVersionDocument.safeParse(broken).success).toBe(false);
  });

  it('takes a diff as the core computes it', () => {
    const edited = validateFramework(
      source.replace('to a distance of 15 kilometres', 'to a distance of 20 kilometres'),
      'framework.yaml',
    ).document!;
    const parsed = FrameworkDiff.safeParse(JSON.parse(JSON.stringify(diffFrameworks(doc, edited))));
    expect(parsed.success).toBe(true);
    expect(parsed.data?.clauses.map((c) => c.clause)).toEqual(['c-buffer-zone']);
  });

  it('asks for the languages on screen in Markdown and Word, and for everything in Akoma Ntoso', () => {
    expect(frameworkExportUrl(3, 'md', ['en', 'uk'])).toBe('/api/v1/framework/versions/3/export?format=md&languages=en%2Cuk');
    expect(frameworkExportUrl(2, 'docx', ['uk'])).toBe('/api/v1/framework/versions/2/export?format=docx&languages=uk');
    expect(frameworkExportUrl(3, 'akn', ['en'])).toBe('/api/v1/framework/versions/3/export?format=akn');
  });
});

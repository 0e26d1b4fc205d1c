import { describe, expect, it } from 'vitest';
import { Framework, frameworkJsonSchema, PROCESS_ROLES } from './model';

describe('the document model', () => {
  it('exports a JSON Schema (draft 2020-12) that editors can use for completion and checks', () => {
    const schema = frameworkJsonSchema();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(expect.arrayContaining(['format', 'process', 'parties', 'chapters']));
    expect(schema.additionalProperties).toBe(false);
    const text = JSON.stringify(schema);
    // Every kind of machine-readable part and every zone type is offered.
    for (const kind of [
      'zone',
      'commitment',
      'escalation-ladder',
      'deconfliction-rule',
      'exchange-formula',
      'funding-condition',
      'meeting-prerequisite',
    ])
      expect(text).toContain(`"const":"${kind}"`);
    for (const type of ['contact-line', 'buffer-zone', 'withdrawal-line', 'maritime-corridor', 'airspace-area'])
      expect(text).toContain(`"const":"${type}"`);
    for (const role of PROCESS_ROLES) expect(text).toContain(`"${role}"`);
    // Descriptions reach the editor.
    expect(text).toContain('distance from the buffered line to the outer edge of the zone, on each side');
  });

  it('fills defaults, so that the normalised document says everything explicitly', () => {
    const doc = Framework.parse({
      format: 'entente.framework/1',
      process: { id: 'p', title: { en: 'T' }, languages: ['en'] },
      parties: [{ id: 'ua', name: { en: 'Ukraine' }, roles: ['party-to-conflict'] }],
      chapters: [
        {
          id: 'ch',
          title: { en: 'C' },
          articles: [{ id: 'a', title: { en: 'A' }, clauses: [{ id: 'c', status: 'open', text: { en: 'x' } }] }],
        },
      ],
    });
    expect(doc.definitions).toEqual([]);
    expect(doc.retiredIds).toEqual([]);
    expect(doc.parties[0]!.kind).toBe('state');
    expect(doc.chapters[0]!.articles[0]!.clauses[0]).toEqual({
      id: 'c',
      status: 'open',
      text: { en: 'x' },
      untranslated: [],
      alternatives: [],
    });
  });

  it('accepts ISO 8601 durations and refuses look-alikes', () => {
    const ladder = (deadline: string) =>
      Framework.shape.chapters.element.shape.articles.element.shape.clauses.element.shape.part.safeParse({
        kind: 'escalation-ladder',
        id: 'l',
        rungs: [{ id: 'r', action: 'act', owner: 'ua', deadline }],
      }).success;
    for (const ok of ['PT48H', 'P2D', 'PT12H30M', 'P1W', 'PT0.5S', 'P1DT2H']) expect(ladder(ok), ok).toBe(true);
    for (const bad of ['48h', 'P', 'PT', 'P1DT', 'P1W2D', '2 days', 'pt48h']) expect(ladder(bad), bad).toBe(false);
  });
});

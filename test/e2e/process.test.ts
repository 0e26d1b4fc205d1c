import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser, ensureWebBuilt, screenshot, startServer, openSignedIn, type Browser, type RunningServer } from './harness';

/*
 * Process sequencing in the browser (the browsers run in Europe/Kyiv): the demo's January sequence on
 * the timeline with its critical path; the mediator plans a hybrid meeting in Paris through the form,
 * it appears on the mediator's timeline and, live, on a delegate's; its panel shows the time in the
 * viewer's zone (Kyiv, one hour ahead of Paris in January) beside the venue's.
 */

const CODE = 'advisers-paris-e2e-2026-01-12';
const TITLE = 'Advisers — hybrid check-in (browser test)';

describeWithBrowser('process: the January sequence, a hybrid meeting planned and seen on the timeline', () => {
  let server: RunningServer;
  const browsers: Browser[] = [];
  let mediator: Page;
  let delegate: Page;
  const errors: string[][] = [];

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    const open = (username: string) =>
      openSignedIn({ browsers, errors }, server.url, username, { open: '#/process', ready: (p) => p.getByTestId('timeline') });
    mediator = await open('mediator');
    delegate = await open('ua-delegate');
  }, 120_000);

  afterAll(async () => {
    for (const b of browsers) await b.close();
    await server?.stop();
  });

  it('shows the demo sequence: bars per track, prerequisite arrows, the critical path', async () => {
    await mediator.locator('[data-meeting="leaders-paris-2026-01-06"]').waitFor();
    expect(await mediator.locator('[data-meeting]').count()).toBeGreaterThanOrEqual(9);
    expect(await mediator.locator('[data-edge="chiefs-of-staff-2026-01-05>leaders-paris-2026-01-06"]').count()).toBe(1);
    expect(await mediator.locator('.pr-edge.critical').count()).toBe(4);
    const path = await mediator.getByTestId('critical-path').innerText();
    expect(path.indexOf('National security advisers — Kyiv')).toBeLessThan(path.indexOf('Coalition of the Willing'));
    await mediator.locator('[data-meeting="leaders-review-2026-01-29"] rect').click();
    await expect.poll(() => mediator.getByTestId('blockers').innerText()).toContain('c-commit-sea');
    await screenshot(mediator, 'process-01-timeline', true);
  });

  it('the mediator plans a hybrid meeting; it appears on the timeline, with the viewer’s and the venue’s time', async () => {
    await mediator.getByRole('button', { name: 'Plan a meeting' }).click();
    const form = mediator.getByTestId('plan-form');
    await form.getByLabel('Code').fill(CODE);
    await form.getByLabel('Title').fill(TITLE);
    await form.getByLabel('Track').selectOption('advisers');
    await form.getByLabel('Venue', { exact: true }).fill('Paris, Quai d’Orsay');
    await form.getByLabel('Venue time zone').fill('Europe/Paris');
    // first a local time the clocks skip, to see the server's message at the field
    await form.getByLabel('Starts (venue time)').fill('2026-03-29T02:30');
    await form.getByLabel('Ends (venue time)').fill('2026-03-29T05:00');
    await form.getByLabel('Format').selectOption('hybrid');
    await form.getByLabel('Secure video link').fill('https://video.entente.invalid/secure/e2e');
    const rows = form.getByTestId('participant-row');
    await rows.nth(0).getByLabel('Name').fill('Chief mediator');
    await rows.nth(0).getByLabel('Time zone').fill('Europe/Paris');
    await form.getByRole('button', { name: 'Add a participant' }).click();
    await rows.nth(1).getByLabel('Name').fill('US adviser');
    await rows.nth(1).getByLabel('Time zone').fill('America/New_York');
    await form.getByRole('button', { name: 'Plan meeting' }).click();
    await expect.poll(() => form.locator('.field-error').first().innerText()).toContain('does not exist in Europe/Paris');
    await screenshot(mediator, 'process-02-dst-refused');

    await form.getByLabel('Starts (venue time)').fill('2026-01-12T10:00');
    await form.getByLabel('Ends (venue time)').fill('2026-01-12T13:00');
    await form.getByRole('button', { name: 'Plan meeting' }).click();
    await mediator.locator(`[data-meeting="${CODE}"]`).waitFor({ timeout: 10_000 });
    const panel = mediator.getByTestId('meeting-panel');
    await panel.waitFor();
    expect(await panel.getByTestId('time-viewer').innerText()).toContain('11:00–14:00');
    expect(await panel.getByTestId('time-venue').innerText()).toContain('10:00–13:00');
    expect(await panel.innerText()).toContain('America/New_York');
    expect(await panel.innerText()).toContain('04:00–07:00');
    // the slot finder ranks slots by who is inside their working hours, with each one's local time
    const finder = panel.getByTestId('slot-finder');
    await finder.getByRole('button', { name: 'Find slots' }).click();
    await finder.locator('table').waitFor();
    expect(await finder.locator('tbody tr').first().innerText()).toContain('2 of 2 inside working hours');
    await screenshot(mediator, 'process-03-hybrid-planned', true);
  });

  it('the mediator revises the meeting, records it held, its minutes for the mediator only, attendance and an outcome', async () => {
    const panel = mediator.getByTestId('meeting-panel');
    await panel.getByTestId('edit-meeting').click();
    const form = mediator.getByTestId('edit-form');
    expect(await form.getByLabel('Code').inputValue()).toBe(CODE);
    expect(await form.getByLabel('Starts (venue time)').inputValue()).toBe('2026-01-12T10:00');
    await form.getByLabel('Starts (venue time)').fill('2026-01-12T10:30');
    await form.getByLabel('Ends (venue time)').fill('2026-01-12T13:30');
    await screenshot(mediator, 'process-06-edit-form');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => panel.getByTestId('time-venue').innerText()).toContain('10:30–13:30');
    expect(await panel.innerText()).toContain('revision 1');
    // the calendar file carries the revision: SEQUENCE rises, the participants' applications update it
    const ics = await mediator.evaluate(async (code) => (await fetch(`/api/v1/process/meetings/${code}/ics`)).text(), CODE);
    expect(ics).toContain('SEQUENCE:1');
    expect(ics).toMatch(/DTSTART;TZID=Europe\/Paris:20260112T103000/);

    await panel.getByRole('button', { name: 'Mark held' }).click();
    const minutes = panel.getByTestId('minutes-form');
    await minutes.waitFor();
    await minutes.getByLabel('Text of the minutes').fill('Mediator only: the US adviser asks for a second text on the sea lead.');
    for (const label of await minutes.locator('input[type=checkbox]').all()) {
      const want = (await label.getAttribute('value')) === 'mediator';
      if ((await label.isChecked()) !== want) await label.click();
    }
    await minutes.getByRole('button', { name: 'Record minutes' }).click();
    await panel.locator('.pr-minutes', { hasText: 'second text on the sea lead' }).waitFor();
    expect(await panel.locator('.pr-minutes').innerText()).toContain('mediator');

    const attendance = panel.getByTestId('attendance-form');
    await attendance.getByLabel('US adviser: attended').uncheck();
    await attendance.getByRole('button', { name: 'Record attendance' }).click();
    await expect.poll(() => panel.innerText()).toContain('Attendance: 1 present, 1 absent');

    const outcome = panel.getByTestId('outcome-form');
    await outcome.getByLabel('Decision').fill('Advisers agree to table two sea texts for the leaders.');
    await outcome.getByLabel('Clauses it concerns').fill('c-commit-sea');
    await outcome.getByLabel('Framework version').selectOption({ index: 1 });
    await outcome.getByRole('button', { name: 'Record outcome' }).click();
    await panel.getByText('Advisers agree to table two sea texts for the leaders.').first().waitFor();
    await screenshot(mediator, 'process-07-records', true);
  });

  it('a delegate does not see minutes kept for the mediator', async () => {
    await delegate.locator(`[data-meeting="${CODE}"] rect`).click();
    const panel = delegate.getByTestId('meeting-panel');
    await expect.poll(() => panel.innerText()).toContain('Advisers agree to table two sea texts');
    expect(await panel.innerText()).toContain('No minutes you may read.');
    expect(await panel.innerText()).not.toContain('second text on the sea lead');
    // a delegate may write minutes (for their delegation), not attendance or outcomes
    await panel.getByTestId('minutes-form').waitFor();
    expect(await panel.getByTestId('attendance-form').count()).toBe(0);
    await screenshot(delegate, 'process-08-delegate-minutes', true);
  });

  it('marking held a meeting whose prerequisites are unmet is refused, naming them; the mediator may override with a reason', async () => {
    await mediator.locator('[data-meeting="leaders-review-2026-01-29"] rect').click();
    const panel = mediator.getByTestId('meeting-panel');
    await panel.getByRole('heading', { name: /review/i }).waitFor();
    await panel.getByRole('button', { name: 'Mark held' }).click();
    const problem = panel.getByTestId('panel-problem');
    await expect.poll(() => problem.innerText()).toContain('leaders-review-2026-01-29 cannot be recorded as held');
    expect(await problem.innerText()).toContain('c-commit-sea');
    const override = panel.getByTestId('override-form');
    await override.waitFor();
    await screenshot(mediator, 'process-09-held-refused', true);

    await override.getByLabel('Reason').fill('The leaders met on the date fixed; the sea text is signed separately.');
    await override.getByRole('button', { name: 'Record held despite unmet prerequisites' }).click();
    await panel.getByTestId('overridden').waitFor();
    expect(await panel.getByTestId('overridden').innerText()).toContain('the sea text is signed separately');
    expect(await panel.locator('.pr-status').innerText()).toBe('Held');
  });

  it('a delegate sees the new meeting on the timeline live, without reloading', async () => {
    await delegate.locator(`[data-meeting="${CODE}"]`).waitFor({ timeout: 10_000 });
    await delegate.getByRole('tab', { name: 'Calendar' }).click();
    await delegate.getByTestId('calendar').getByText(TITLE).waitFor();
    await screenshot(delegate, 'process-04-calendar', true);
    // the same page in Ukrainian
    await delegate.getByRole('button', { name: 'Українська' }).click();
    await delegate.getByRole('tab', { name: 'Часова шкала' }).click();
    await delegate.getByText('Критичний шлях').first().waitFor();
    await delegate.locator('[data-meeting="leaders-paris-2026-01-06"] rect').click();
    await delegate.getByTestId('meeting-panel').getByText('Що блокує цю зустріч зараз').waitFor();
    await screenshot(delegate, 'process-05-ukrainian', true);
    // The session probe before signing in answers 401, the skipped local time 400 and held with
    // prerequisites unmet 422: all by design.
    const unexpected = errors.flat().filter((e) => !/status of (40[01]|422)/.test(e));
    expect(unexpected, unexpected.join('\n')).toEqual([]);
  });
});

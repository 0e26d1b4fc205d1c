import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  describeWithBrowser,
  ensureWebBuilt,
  getJson,
  launchBrowser,
  postAs,
  screenshot,
  signInOverHttp,
  startServer,
  watchPageErrors,
  signIn,
  type Browser,
  type RunningServer,
} from './harness';

/*
 * Humanitarian notices as their users work them, in Chromium against a real `entente serve --demo`:
 * the ICRC liaison notifies a site, Ukraine's delegate sees it awaiting and acknowledges it, and the
 * liaison's own page shows Ukraine's acknowledgement live; a movement inside the lead time is refused
 * with the server's message next to its start; the demo's escalated notice shows as escalated. Then the
 * missing operations forms: a monitor records an access denial, the mediator merges two cases and
 * splits a report back out.
 */

const LIVE_WITHIN_MS = 1_000;

describeWithBrowser('operations: humanitarian notices', () => {
  let server: RunningServer;
  let humanitarianBrowser: Browser;
  let delegateBrowser: Browser;
  let humanitarian: Page;
  let delegate: Page;
  let errors: string[];
  let delegateErrors: string[];

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    // Two browsers, two sessions: the liaison and the delegate each see their own page.
    humanitarianBrowser = await launchBrowser();
    delegateBrowser = await launchBrowser();
    humanitarian = await humanitarianBrowser.newPage();
    delegate = await delegateBrowser.newPage();
    errors = watchPageErrors(humanitarian);
    delegateErrors = watchPageErrors(delegate);
    await signIn(humanitarian, server.url, 'humanitarian');
    await signIn(delegate, server.url, 'ua-delegate');
  }, 120_000);

  afterAll(async () => {
    await humanitarianBrowser?.close();
    await delegateBrowser?.close();
    await server?.stop();
  });

  it('a site notified by the humanitarian liaison awaits Ukraine, and Ukraine’s acknowledgement shows on the liaison’s page within a second', async () => {
    await humanitarian.goto(`${server.url}/#/operations?view=notices`);
    await humanitarian.getByRole('heading', { name: 'Notify a static site' }).waitFor();
    const name = `Field hospital ${Date.now()}`;
    await humanitarian.getByLabel('Kind of site').selectOption('hospital');
    await humanitarian.getByLabel('Name', { exact: true }).first().fill(name);
    // The place can be picked on the map: a click fills the coordinates.
    await humanitarian.locator('.hn-map .incident-map-canvas[data-drawn]').waitFor({ timeout: 20_000 });
    await humanitarian.getByRole('button', { name: 'Pick on the map' }).click();
    const canvas = humanitarian.locator('.hn-map .incident-map-canvas canvas');
    await canvas.click({ position: { x: 300, y: 200 } });
    await expect.poll(() => humanitarian.getByLabel('Longitude (°E)').inputValue()).toMatch(/^\d+\.\d+$/);
    const pickedLon = Number(await humanitarian.getByLabel('Longitude (°E)').inputValue());
    const pickedLat = Number(await humanitarian.getByLabel('Latitude (°N)').inputValue());
    expect(pickedLon).toBeGreaterThan(20);
    expect(pickedLon).toBeLessThan(42);
    expect(pickedLat).toBeGreaterThan(43);
    expect(pickedLat).toBeLessThan(53);
    await humanitarian.getByRole('button', { name: 'Stop drawing' }).click();
    // …and typed exactly.
    await humanitarian.getByLabel('Longitude (°E)').fill('35.1645');
    await humanitarian.getByLabel('Latitude (°N)').fill('47.8262');
    await humanitarian.getByLabel('Valid until').fill(localInput(new Date(Date.now() + 30 * 86_400_000)));
    await humanitarian.getByRole('button', { name: 'Notify the site' }).click();
    await humanitarian.getByText(`Notified: ${name}.`).waitFor();

    const row = humanitarian.locator('.hn-row', { hasText: name });
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('pending-acknowledgement');
    expect(await row.locator('[data-party="ua"]').getAttribute('data-state')).toBe('awaiting');
    await screenshot(humanitarian, 'notices-humanitarian-notified', true);

    await delegate.goto(`${server.url}/#/operations?view=notices`);
    const awaiting = delegate.getByTestId('notices-awaiting');
    const item = awaiting.locator('.hn-awaiting-item', { hasText: name });
    await item.waitFor();
    // The deadline counts down, and the wording is receipt, not approval.
    const first = await item.locator('.hn-deadline').innerText();
    expect(first).toMatch(/^due in \d+ hours? \d+ min$/);
    expect(await awaiting.innerText()).toContain('It is not an approval');
    await screenshot(delegate, 'notices-delegate-awaiting', true);

    await item.getByRole('button', { name: 'Acknowledge receipt' }).click();
    const clicked = Date.now();
    await item.getByText('Acknowledged (not approval)').waitFor();
    await humanitarian
      .locator('.hn-row', { hasText: name })
      .locator('[data-party="ua"][data-state="acknowledged"]')
      .waitFor({ timeout: 5_000 });
    const elapsed = Date.now() - clicked;
    expect(elapsed, `the liaison saw Ukraine's acknowledgement after ${elapsed} ms`).toBeLessThan(LIVE_WITHIN_MS);
    // Russia has not acknowledged: the notice is still pending, not "acknowledged".
    expect(await humanitarian.locator('.hn-row', { hasText: name }).getAttribute('data-status')).toBe('pending-acknowledgement');
    await screenshot(humanitarian, 'notices-humanitarian-ua-acknowledged', true);

    // The same in Ukrainian: receipt, not approval.
    await delegate.getByRole('button', { name: 'Українська' }).click();
    await item.getByText('Отримання підтверджено (не погодження)').waitFor();
    expect(await delegate.getByTestId('notices-awaiting').innerText()).toContain('Очікують вашого підтвердження отримання');
    expect(await delegate.getByTestId('notices-awaiting').innerText()).toContain('не погодження');
    await screenshot(delegate, 'notices-delegate-acknowledged-uk', true);
    await delegate.getByRole('button', { name: 'English' }).click();

    // Once acknowledged (and the page reloaded) it no longer awaits Ukraine.
    await delegate.reload();
    await delegate.getByTestId('notices-awaiting').waitFor();
    await delegate.locator('.hn-row', { hasText: name }).waitFor();
    expect(await delegate.getByTestId('notices-awaiting').locator('.hn-awaiting-item', { hasText: name }).count()).toBe(0);
  });

  it('a movement starting inside the lead time is refused, with the server’s message next to its start', async () => {
    await humanitarian.goto(`${server.url}/#/operations?view=notices`);
    const form = humanitarian.locator('form', { has: humanitarian.getByRole('heading', { name: 'Notify a movement' }) });
    await form.waitFor();
    await form.getByLabel('Name', { exact: true }).fill('Convoy too soon');
    // A route drawn point by point on the map becomes one line per point.
    await humanitarian.locator('.hn-map .incident-map-canvas[data-drawn]').waitFor({ timeout: 20_000 });
    await form.getByRole('button', { name: 'Draw on the map' }).click();
    const canvas = humanitarian.locator('.hn-map .incident-map-canvas canvas');
    await canvas.click({ position: { x: 250, y: 220 } });
    await canvas.click({ position: { x: 330, y: 260 } });
    await canvas.click({ position: { x: 400, y: 300 } });
    await expect.poll(async () => (await form.getByLabel('Route').inputValue()).split('\n').length).toBe(3);
    expect(await form.getByLabel('Route').inputValue()).toMatch(/^(\d+\.\d+, \d+\.\d+\n?){3}$/);
    await screenshot(humanitarian, 'notices-route-drawn');
    await form.getByRole('button', { name: 'Stop drawing' }).click();
    await form.getByLabel('Route').fill('35.2102, 47.8018\n35.4311, 47.7185');
    await form.getByLabel('Starts').fill(localInput(new Date(Date.now() + 2 * 3_600_000)));
    await form.getByLabel('Ends').fill(localInput(new Date(Date.now() + 8 * 3_600_000)));
    await form.getByRole('button', { name: 'Notify the movement' }).click();
    const error = form.locator('#hn-move-from-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/at least 48 hours \(PT48H\) before it starts.*earliest it could start is/);
    // Said in the reader's own offset (Kyiv, +02:00 in winter), not in UTC.
    expect(await error.innerText()).toMatch(/starts at \d{4}-\d\d-\d\dT\d\d:\d\d:00\+02:00; the earliest it could start is \S+\+02:00/);
    expect(await form.getByLabel('Starts').getAttribute('aria-invalid')).toBe('true');
    expect(await humanitarian.locator('.hn-row', { hasText: 'Convoy too soon' }).count()).toBe(0);
    await form.scrollIntoViewIfNeeded();
    await screenshot(humanitarian, 'notices-movement-refused');
  });

  it('the demo’s escalated notice shows as escalated, struck, with Russia overdue', async () => {
    const row = humanitarian.locator('.hn-row[data-notice-id="demo-site-school"]');
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('escalated');
    expect(await row.getByTestId('notice-status').innerText()).toBe('escalated');
    expect(await row.locator('[data-party="ru"]').getAttribute('data-state')).toBe('overdue');
    expect(await row.getAttribute('class')).toContain('hn-row-struck');
    await row.scrollIntoViewIfNeeded();
    await screenshot(humanitarian, 'notices-escalated');
    // Chromium logs every non-2xx fetch: the session probe's 401 and the refusal provoked above are expected.
    const unexpected = (e: string) => !/Failed to load resource: the server responded with a status of (401|422)/.test(e);
    expect(errors.filter(unexpected), errors.join('\n')).toEqual([]);
    expect(delegateErrors.filter(unexpected), delegateErrors.join('\n')).toEqual([]);
  });

  it('a monitor records an access denial from the queue: where, when, by whom, what was denied', async () => {
    // A monitor's form is not offered to a delegate (checked before this browser signs in as the monitor).
    await delegate.goto(`${server.url}/#/operations?view=queue`);
    await delegate.locator('.queue').waitFor();
    expect(await delegate.getByTestId('access-denial-form').count()).toBe(0);
    const page = await delegateBrowser.newPage();
    await delegateBrowser.context.clearCookies();
    await signIn(page, server.url, 'monitor');
    await page.goto(`${server.url}/#/operations?view=queue`);
    const form = page.getByTestId('access-denial-form');
    await form.waitFor();
    const place = `Checkpoint ${Date.now()} west of Vasylivka`;
    await form.getByLabel('When').fill(localInput(new Date(Date.now() - 3_600_000)));
    await form.getByLabel('Denied by').selectOption('ru');
    await form.getByLabel('Where (checkpoint, road, village)').fill(place);
    await form.getByLabel('Longitude (°E)').fill('35.3610');
    await form.getByLabel('Latitude (°N)').fill('47.4380');
    await form.getByLabel('Held for (minutes)').fill('90');
    await form.getByLabel('What was denied').fill('Passage to the school in Orikhiv refused; patrol turned back.');
    await form.getByRole('button', { name: 'Record the access denial' }).click();
    await form.getByText('Access denial recorded.').waitFor();
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, 'notices-access-denial');
    const observer = await signInOverHttp(server.url, 'observer');
    const { accessDenials } = (await getJson(server.url, '/api/v1/access-denials', observer)) as {
      accessDenials: { place: string; deniedBy: string | null; durationMinutes: number | null; narrative: string }[];
    };
    expect(accessDenials.find((d) => d.place === place)).toMatchObject({ deniedBy: 'ru', durationMinutes: 90 });
    await page.close();
  });

  it('the mediator merges a second case into a case, then splits its report back out into a new case', async () => {
    const monitor = await signInOverHttp(server.url, 'monitor');
    const mediator = await signInOverHttp(server.url, 'mediator');
    const file = async (lon: number, lat: number, narrative: string) => {
      const r = await postAs(server.url, monitor, '/api/v1/reports', {
        occurredAt: new Date(Date.now() - 20 * 60_000).toISOString(),
        location: { type: 'point', lon, lat, precision_m: 100 },
        domain: 'land',
        type: 'small-arms',
        source: 'patrol-heard',
        narrative,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body as { id: string; caseId: string };
    };
    // Far apart: the intake opens two cases.
    const a = await file(36.05, 47.55, 'Bursts of small-arms fire heard north of the post.');
    const b = await file(37.4, 48.3, 'Small-arms fire reported by a second patrol.');
    expect(a.caseId).not.toBe(b.caseId);
    const caseB = (await getJson(server.url, `/api/v1/cases/${b.caseId}`, mediator)) as { case: { number: number } };

    const page = await delegateBrowser.newPage();
    await delegateBrowser.context.clearCookies();
    await signIn(page, server.url, 'mediator');
    await page.goto(`${server.url}/#/operations?view=queue&case=${a.caseId}`);
    const regroup = page.getByTestId('case-regroup');
    await regroup.waitFor();
    await regroup.getByLabel('Case number to merge in').fill(String(caseB.case.number));
    await regroup.getByLabel('Why these are one incident').fill('Same firefight, seen from two posts.');
    await regroup.getByRole('button', { name: 'Merge into this case' }).click();
    await regroup.getByText(`Case #${caseB.case.number} merged into this one.`).waitFor();
    const merged = (await getJson(server.url, `/api/v1/cases/${b.caseId}`, mediator)) as { case: { mergedInto: string | null } };
    expect(merged.case.mergedInto).toBe(a.caseId);
    // The case view reloads with both reports; the second can be split back out.
    const second = regroup.locator('label.hn-check', { hasText: 'second patrol' });
    await second.waitFor();
    await second.locator('input').check();
    await regroup.getByLabel('Why these reports are another incident').fill('The second patrol was 100 km away after all.');
    await regroup.getByRole('button', { name: 'Split into a new case' }).click();
    await regroup.getByText('Reports split out into a new case.').waitFor();
    await regroup.scrollIntoViewIfNeeded();
    await screenshot(page, 'notices-case-split');
    const report = (await getJson(server.url, `/api/v1/reports/${b.id}`, mediator)) as { case: { id: string; splitFrom: string | null } };
    expect(report.case.id).not.toBe(a.caseId);
    expect(report.case.splitFrom).toBe(a.caseId);
    await page.close();
  });
});

/** The value a `datetime-local` input takes, in the browser's zone (the harness pins Europe/Kyiv). */
function localInput(date: Date): string {
  const kyiv = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Kyiv',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return kyiv.replace(' ', 'T');
}

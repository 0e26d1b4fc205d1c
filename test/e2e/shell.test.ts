import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  describeWithBrowser,
  ensureWebBuilt,
  getJson,
  launchBrowser,
  postAs,
  screenshot,
  signInOverHttp,
  startServer,
  watchPageErrors,
  type ApiSession,
  type Browser,
  type RunningServer,
} from './harness';

/*
 * The web shell as a person uses it: sign in, see who you act for and that the live connection is up,
 * read the interface in Ukrainian, check the journal's integrity, and watch a report filed by someone
 * else arrive on screen within a second.
 */

const LIVE_WITHIN_MS = 1_000;

describeWithBrowser('web shell', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let monitor: ApiSession;
  let mediatorPartyName: string;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage();
    pageErrors = watchPageErrors(page);
    monitor = await signInOverHttp(server.url, 'monitor');
    const mediator = await signInOverHttp(server.url, 'mediator');
    const { parties } = (await getJson(server.url, '/api/v1/parties', mediator)) as { parties: { id: string; name: string }[] };
    mediatorPartyName = parties.find((p) => p.id === mediator.user.party)?.name ?? '(the mediator has no party)';
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the server’s own message when the password is wrong', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Username').fill('mediator');
    await page.getByLabel('Password').fill('not-the-password');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/session') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    expect(response.status()).toBe(401);
    const problem = (await response.json()) as { detail: string; pointer?: string };
    expect(problem.detail.length).toBeGreaterThan(0);

    const message = page.getByText(problem.detail, { exact: true });
    await message.waitFor();
    if (problem.pointer === '/password') {
      // Next to the field it is about, and tied to it for screen readers.
      expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Password').getAttribute('aria-describedby')).toContain(await message.getAttribute('id'));
    }
    expect(await page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    await screenshot(page, '01-sign-in-wrong-password');
  });

  it('signs in as the mediator: acting for their party, their role, a live connection', async () => {
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    // The party is named, not shown by its id (and never flashes its id first).
    const actingFor = page.getByTestId('acting-for');
    await actingFor.waitFor();
    expect(await actingFor.textContent()).toBe(`acting for ${mediatorPartyName}`);
    expect(await page.locator('.identity-roles').textContent()).toContain('mediator');

    const connection = page.getByRole('status').filter({ hasText: /connected|connecting|reconnecting|offline/ });
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(await connection.first().textContent()).toContain('connected');

    const nav = page.getByRole('navigation', { name: 'Modules' });
    for (const name of [
      'Framework',
      'Negotiation',
      'Process',
      'Operations',
      'Guarantees',
      'Exchanges',
      'Prosperity',
      'Stress test',
      'Audit',
    ]) {
      expect(await nav.getByRole('link', { name }).count(), name).toBe(1);
    }
    await screenshot(page, '02-overview-en');
  });

  it('every module not built yet says what will come there', async () => {
    await page.getByRole('navigation', { name: 'Modules' }).getByRole('link', { name: 'Guarantees' }).click();
    await page.getByRole('heading', { level: 1, name: 'Guarantees' }).waitFor();
    expect(await page.locator('main').textContent()).toMatch(/who must act, why, and by when/);
    expect(await page.getByRole('link', { name: 'Guarantees' }).getAttribute('aria-current')).toBe('page');
    expect(await page.title()).toBe('Guarantees · Entente');
    await screenshot(page, '03-guarantees-placeholder');
  });

  it('switches to Ukrainian, keeps the choice across a reload, and switches back', async () => {
    await page.getByRole('button', { name: 'Українська' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('uk');
    await page.getByRole('heading', { level: 1, name: 'Гарантії' }).waitFor();
    expect(await page.getByTestId('acting-for').textContent()).toBe(`від імені: ${mediatorPartyName}`);
    expect(await page.getByRole('navigation', { name: 'Модулі' }).getByRole('link', { name: 'Аудит' }).count()).toBe(1);
    await screenshot(page, '04-guarantees-uk');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Гарантії' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('uk');
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('.connection').textContent()).toContain('з’єднано');

    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('heading', { level: 1, name: 'Guarantees' }).waitFor();
  });

  it('the audit page shows the chain verified and the journal, newest first, with details on demand', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    await page.getByText('Chain verified').waitFor();
    expect(await page.locator('.chain-status').getAttribute('data-state')).toBe('ok');

    const status = (await getJson(server.url, '/api/v1/journal/status', monitor)) as { count: number };
    const rows = page.locator('.journal-table tbody tr[data-position]');
    await rows.first().waitFor();
    const positions = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-position'))));
    expect(positions[0]).toBe(status.count);
    expect(positions).toEqual([...positions].sort((a, b) => b - a));

    const first = rows.first();
    const disclosure = first.locator('button.disclosure');
    expect(await disclosure.getAttribute('aria-label')).toBe(`Show details of event ${positions[0]}`);
    expect(await disclosure.getAttribute('aria-expanded')).toBe('false');
    await disclosure.click();
    expect(await disclosure.getAttribute('aria-expanded')).toBe('true');
    expect(await disclosure.getAttribute('aria-label')).toBe(`Hide details of event ${positions[0]}`);
    const payload = page.locator('.row-details pre').first();
    await payload.waitFor();
    expect(JSON.parse((await payload.textContent()) ?? '')).toBeTypeOf('object');
    await screenshot(page, '05-audit-verified');
    await disclosure.click();
  });

  it('a report filed elsewhere (by a monitor, over the API) appears on the audit page and in the operations feed within a second', async () => {
    const operations = await browser.newPage();
    const operationsErrors = watchPageErrors(operations);
    await operations.goto(`${server.url}/#/operations`);
    await operations.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    await operations.locator('.report-feed .report').first().waitFor();
    await operations.locator('.connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 10_000 });

    const narrative = `Two airbursts observed over the northern outskirts at ${new Date().toISOString()}.`;
    const filed = await postAs(server.url, monitor, '/api/v1/reports', {
      occurredAt: new Date(Date.now() - 20 * 60_000).toISOString(),
      location: { lon: 37.8042, lat: 48.0159 },
      domain: 'land',
      type: 'airburst',
      source: 'patrol-heard',
      narrative,
    });
    const answeredAt = Date.now();
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const { position } = filed.body as { position: number };

    const auditRow = page.locator(`.journal-table tbody tr[data-position="${position}"]`);
    const feedItem = operations.locator(`.report-feed .report[data-position="${position}"]`);
    await Promise.all([auditRow.waitFor({ timeout: LIVE_WITHIN_MS }), feedItem.waitFor({ timeout: LIVE_WITHIN_MS })]);
    expect(Date.now() - answeredAt).toBeLessThanOrEqual(LIVE_WITHIN_MS + 100);

    // Prepended and highlighted on the audit page; readable in the feed. A report is one append of up
    // to three events (exact, its coarse twin, its case): the newest row is one of them.
    const newest = Number(await page.locator('.journal-table tbody tr[data-position]').first().getAttribute('data-position'));
    expect(newest - position).toBeGreaterThanOrEqual(0);
    expect(newest - position).toBeLessThanOrEqual(2);
    expect(await auditRow.getAttribute('class')).toContain('row-new');
    expect(await auditRow.locator('.event-type').textContent()).toBe('report.filed');
    expect(await feedItem.textContent()).toContain(narrative);
    expect(await feedItem.textContent()).toContain('airburst');
    expect(await operations.locator('.report-feed .report').first().getAttribute('data-position')).toBe(String(position));
    await screenshot(page, '06-audit-live-arrival');
    await screenshot(operations, '07-operations-live-arrival');
    await operations.close();
    expect(operationsErrors.filter(notAnExpectedHttpError)).toEqual([]);
  });

  it('the connection indicator shows the server going away and coming back, and nothing filed meanwhile is missed', async () => {
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    expect(pageErrors.filter(notAnExpectedHttpError), pageErrors.join('\n')).toEqual([]);
    const port = Number(new URL(server.url).port);
    await server.stop({ keepData: true });
    await page.locator('.connection[data-state="reconnecting"], .connection[data-state="offline"]').waitFor({ timeout: 5_000 });
    await page.locator('.connection[data-state="offline"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('.connection').textContent()).toContain('offline');
    // The journal no longer claims to be live while it cannot be.
    expect(await page.locator('.live-badge').textContent()).toBe('offline');
    await screenshot(page, '08-audit-offline');

    server = await startServer({ dataDir: server.dataDir, port });
    // Filed while this page is still cut off: it must arrive once the stream resumes.
    const filed = await postAs(server.url, monitor, '/api/v1/reports', {
      occurredAt: new Date().toISOString(),
      location: { lon: 35.14, lat: 47.84 },
      domain: 'air',
      type: 'drone',
      source: 'sensor',
      narrative: 'Loitering munition tracked by the acoustic array while the page was offline.',
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const { position } = filed.body as { position: number };
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 20_000 });
    await page.locator(`.journal-table tbody tr[data-position="${position}"]`).waitFor({ timeout: 5_000 });
    expect(await page.locator('.live-badge').textContent()).toBe('Live');
    expect(await page.getByText('Chain verified').isVisible()).toBe(true);
    pageErrors.length = 0; // refused connections while the server was away are the point of this test
  });

  it('the mediator files a report with the form; a bad coordinate is caught next to its field', async () => {
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { name: 'File a report' }).waitFor();
    await page.getByLabel('Longitude').fill('37.55');
    await page.getByLabel('Latitude').fill('147.1');
    await page.getByLabel('Type of incident').selectOption('movement-restriction');
    await page.getByLabel('What happened').fill('Patrol held at a checkpoint for two hours; no reason given.');
    await page.getByRole('button', { name: 'File report' }).click();
    const latitudeError = page.locator('#report-lat-error');
    await latitudeError.waitFor();
    expect(await latitudeError.textContent()).toBe('Enter a value between -90 and 90.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('report-lat');
    await screenshot(page, '09-operations-form-error');

    await page.getByLabel('Latitude').fill('47.1');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/reports') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'File report' }).click(),
    ]);
    expect(response.status()).toBe(201);
    expect(response.request().headers()['x-csrf-token']).toBeTruthy();
    expect(response.request().headers()['idempotency-key']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const { position } = (await response.json()) as { position: number };
    await page.getByText(`Report filed at journal position ${position}.`).waitFor();
    const item = page.locator(`.report-feed .report[data-position="${position}"]`);
    await item.waitFor({ timeout: LIVE_WITHIN_MS });
    expect(await item.textContent()).toContain('restriction of movement');
  });

  it('is usable on a phone: the menu opens and closes, the skip link reaches the content', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Modules' }).isVisible()).toBe(false);
    await screenshot(page, '10-phone-operations');
    await page.getByRole('button', { name: 'Menu' }).click();
    const nav = page.getByRole('navigation', { name: 'Modules' });
    expect(await nav.isVisible()).toBe(true);
    // In view even though the page is scrolled down, below the top bar, with the language switch in it.
    const firstLink = await nav.getByRole('link', { name: 'Overview' }).boundingBox();
    const topbar = await page.locator('.topbar').boundingBox();
    expect(firstLink && topbar && firstLink.y >= topbar.y + topbar.height && firstLink.y < 844).toBe(true);
    expect(await nav.getByRole('button', { name: 'Українська' }).isVisible()).toBe(true);
    await screenshot(page, '11-phone-menu-open');
    await page.keyboard.press('Escape');
    expect(await nav.isVisible()).toBe(false);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('menu-toggle'))).toBe(true);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Modules' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Modules' }).isVisible()).toBe(false);
    await page.setViewportSize({ width: 1360, height: 900 });

    // Keyboard: the first Tab reaches the skip link, Enter moves focus to the main content.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('a journal altered behind the server’s back shows red, naming the first bad position', async () => {
    // Leave the page first, so that no open live stream holds up the server's shutdown.
    await page.goto('about:blank');
    const port = Number(new URL(server.url).port);
    await server.stop({ keepData: true });
    // Someone with write access to the database edits an event's payload (SQLite store: journal.db, table events).
    const db = new Database(join(server.dataDir, 'journal.db'));
    const altered = db
      .prepare('UPDATE events SET payload = ? WHERE position = 5')
      .run(JSON.stringify({ id: 'gb', name: 'Edited', kind: 'state' }));
    db.close();
    expect(altered.changes).toBe(1);
    server = await startServer({ dataDir: server.dataDir, port });

    await page.goto(`${server.url}/#/audit`);
    await page.getByText('Chain broken').waitFor({ timeout: 10_000 });
    expect(await page.locator('.chain-status').getAttribute('data-state')).toBe('broken');
    expect(await page.locator('.chain-fault').textContent()).toContain('First fault at position 5: an event was altered.');
    expect(await page.locator('.chain-facts').textContent()).toContain('Events 1–4 check out.');
    // The journal is still browsable past the fault, up to its real head.
    const newest = await page.locator('.journal-table tbody tr[data-position]').first().getAttribute('data-position');
    expect(Number(newest)).toBeGreaterThan(5);
    const faultRow = page.locator('.journal-table tbody tr[data-position="5"]');
    // The demo journal is longer than a page: page back to the fault.
    for (let i = 0; i < 10 && !(await faultRow.isVisible()); i++) {
      await page.getByRole('button', { name: 'Older', exact: true }).click();
      await page.waitForTimeout(300);
    }
    await faultRow.waitFor();
    expect(await faultRow.getAttribute('class')).toContain('row-fault');
    expect(await faultRow.textContent()).toContain('Chain broken');
    await faultRow.scrollIntoViewIfNeeded();
    await screenshot(page, '12-audit-chain-broken');
  });

  it('signs out back to the sign-in page', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(pageErrors.filter(notAnExpectedHttpError), pageErrors.join('\n')).toEqual([]);
  });
});

/** Chromium logs every non-2xx fetch as a console error; the 401s of this walk-through are expected. */
function notAnExpectedHttpError(message: string): boolean {
  return !/Failed to load resource: the server responded with a status of 401/.test(message);
}

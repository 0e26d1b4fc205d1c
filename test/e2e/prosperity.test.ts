import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  SCREENSHOTS,
  describeWithBrowser,
  ensureWebBuilt,
  launchBrowser,
  postAs,
  screenshot,
  signIn,
  signInOverHttp,
  startServer,
  watchPageErrors,
  type Browser,
  type RunningServer,
} from './harness';

/*
 * The prosperity package as the donor representative sees it, live. On the demo: the water loan's
 * second tranche waits for the European Commission's attestation; when it is attested (from another
 * session), the node re-evaluates the tranche and journals that it is releasable, and the open page
 * turns it releasable without a reload — the donor then releases it. A breach verified by the
 * mechanism moves the first EU tranche's unlock date later, on the page, live.
 */

const AUDIT = 'Procurement audit of the first works package completed';
const tranche = (page: Page, id: string) => page.getByTestId('tranches').locator(`[data-tranche="${id}"]`);

describeWithBrowser('prosperity: money by stage and oblast, conditions with evidence, a tranche unlocking live', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchBrowser({ viewport: { width: 1440, height: 1000 } });
    page = await browser.newPage();
    errors = watchPageErrors(page);
    await signIn(page, server.url, 'donor', { open: '#/prosperity' });
    await page.getByTestId('tranches').locator('[data-tranche]').first().waitFor({ timeout: 20_000 });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows money by stage, instrument, sector, donor and oblast, and what 30 more quiet days unlock', async () => {
    await page.getByTestId('oblast-map').locator('path[data-oblast="UA-23"]').waitFor();
    // Zaporizhzhia has money committed to its projects: it is shaded, unlike an oblast without any.
    const zp = await page.getByTestId('oblast-map').locator('path[data-oblast="UA-23"]').getAttribute('fill');
    const lviv = await page.getByTestId('oblast-map').locator('path[data-oblast=""]').first().getAttribute('fill');
    expect(zp).not.toBe(lviv);
    expect(await page.getByTestId('by-instrument').innerText()).toContain('War-risk insurance');
    const unlocks = page.getByTestId('unlocks');
    await unlocks.locator('[data-tranche="eu-zp-substation-1"]').waitFor();
    await unlocks.locator('[data-tranche="bsm-odesa-1"]').waitFor();
    expect(await unlocks.locator('[data-tranche="eu-orikhiv-1"]').count()).toBe(0);
    // Ninety more days: the housing and the port equity unlock as well.
    await unlocks.getByRole('slider').fill('90');
    await unlocks.locator('[data-tranche="eu-orikhiv-1"]').waitFor({ timeout: 10_000 });
    await unlocks.locator('[data-tranche="dnipro-odesa-1"]').waitFor();
    await unlocks.getByRole('slider').fill('30');
    await expect.poll(() => unlocks.locator('[data-tranche="eu-orikhiv-1"]').count(), { timeout: 10_000 }).toBe(0);
    // A locked tranche shows the breach that restarted its count, as evidence.
    const first = tranche(page, 'eu-zp-substation-1');
    expect(await first.getAttribute('data-stage')).toBe('locked');
    expect(await first.locator('.pr-ev-breach').first().innerText()).toMatch(/case \d+ verified breach of severity 3/);
    await screenshot(page, 'prosperity-01-overview', true);
    await page.locator('.pr-grid').screenshot({ path: `${SCREENSHOTS}/prosperity-01b-map-and-unlocks.png` });
    await tranche(page, 'eu-zp-substation-1').screenshot({ path: `${SCREENSHOTS}/prosperity-01c-tranche.png` });
  });

  it('a tranche unlocks live when its milestone is attested, and the named approver releases it', async () => {
    const water = tranche(page, 'kfw-mykolaiv-2');
    expect(await water.getAttribute('data-stage')).toBe('locked');
    // The European Commission attests from another session; this page is not reloaded.
    const eu = await signInOverHttp(server.url, 'donor');
    const attested = await postAs(server.url, eu, '/api/v1/prosperity/attestations', { what: AUDIT });
    expect(attested.status).toBe(201);
    await expect.poll(() => water.getAttribute('data-stage'), { timeout: 10_000 }).toBe('releasable');
    expect(await water.locator('[data-milestone="attested"] .pr-pill').innerText()).toBe('holds');
    await screenshot(page, 'prosperity-02-unlocked-live', false);
    await water.getByRole('button', { name: 'Release this tranche' }).click();
    await expect.poll(() => water.getAttribute('data-stage'), { timeout: 10_000 }).toBe('released');
    expect(await water.getByTestId('status').innerText()).toMatch(/^Released by donor/);
  });

  it('a breach verified by the mechanism moves an unlock date later, live', async () => {
    const first = tranche(page, 'eu-zp-substation-1');
    const before = await first.getByTestId('status').innerText();
    const monitor = await signInOverHttp(server.url, 'monitor');
    const filed = await postAs(server.url, monitor, '/api/v1/reports', {
      occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
      location: { lon: 37.5, lat: 48.38 },
      domain: 'land',
      type: 'shelling-impact',
      source: 'patrol-saw',
      narrative: 'Impacts in the buffer south of Kostiantynivka.',
    });
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const caseId = (filed.body as { caseId: string }).caseId;
    let version = 1;
    const step = async (path: string, body: Record<string, unknown>) => {
      const r = await postAs(server.url, monitor, `/api/v1/cases/${caseId}/${path}`, { version, ...body });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      version = (r.body as { version: number }).version;
    };
    const current = (await (await fetch(`${server.url}/api/v1/cases/${caseId}`, { headers: { Cookie: monitor.cookie } })).json()) as {
      case: { version: number };
    };
    version = current.case.version;
    await step('status', { to: 'under-investigation' });
    await step('findings', {
      attribution: { party: null, couldNotAttribute: true, reason: 'no fragments recovered' },
      summary: 'Shelling confirmed',
      severity: 3,
    });
    await step('status', { to: 'verified' });
    await expect.poll(() => first.getByTestId('status').innerText(), { timeout: 10_000 }).not.toBe(before);
    expect(await first.getByTestId('status').innerText()).toMatch(/^Locked: unlocks/);
    await screenshot(page, 'prosperity-03-breach-live', false);
    // The session probe before signing in answers 401 by design.
    expect(
      errors.filter((e) => !/status of 401/.test(e)),
      errors.join('\n'),
    ).toEqual([]);
  });

  it('reads in Ukrainian', async () => {
    await page.locator('.lang-switch button[lang="uk"]').first().click();
    await page.getByRole('heading', { name: 'Процвітання', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Що розблокується, якщо припинення вогню триватиме' }).waitFor();
    expect(await tranche(page, 'eu-zp-substation-1').getByTestId('stage').innerText()).toMatch(/Заблоковано/i);
    await screenshot(page, 'prosperity-04-ukrainian', false);
    await page.locator('.lang-switch button[lang="en"]').first().click();
  });
});

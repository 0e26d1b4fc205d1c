import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jpegWithExif } from '../../examples/kyiv-2026/evidence-files';
import {
  describeWithBrowser,
  ensureWebBuilt,
  launchBrowser,
  screenshot,
  startServer,
  watchPageErrors,
  signIn,
  type Browser,
  type RunningServer,
} from './harness';

/*
 * The evidence "done when" in a browser: a monitor photographs a crater while offline — the browser
 * hashes it and keeps it on the device — the network comes back, the photo uploads by itself (tus),
 * the device's and the server's SHA-256 match on screen, and the item's custody log grows each time
 * it is opened. Also shows the demo's flagged counter-claim with its verification and challenges.
 */

const PHOTO = jpegWithExif(
  { takenAt: '2026:01:07 08:05:00', offset: '+02:00', position: { lon: 35.9435, lat: 47.4631 }, make: 'Canon', model: 'EOS R6' },
  'Second crater near the school fence.',
);
const PHOTO_SHA = createHash('sha256').update(PHOTO).digest('hex');

/** Signs in and opens the evidence page. */
function openEvidence(page: Page, url: string, username: string): Promise<void> {
  return signIn(page, url, username, { open: '#/evidence', ready: (p) => p.getByRole('heading', { name: 'Evidence by case' }) });
}

describeWithBrowser('evidence: hashed in the browser, queued offline, uploaded resumably, custody on screen', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    browser = await launchBrowser();
    page = await browser.newPage();
    errors = watchPageErrors(page);
    await openEvidence(page, server.url, 'monitor');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists the demo evidence by case, and opening an item shows its sources, flags, records and custody', async () => {
    await page.getByRole('button', { name: 'Open mortar-position.jpg' }).click();
    const detail = page.locator('.ev-detail');
    await detail.getByRole('heading', { name: 'mortar-position.jpg' }).waitFor();
    expect(await detail.locator('.ev-flags').innerText()).toContain("the camera's EXIF time 2026:01:05 14:10:00 +03:00");
    expect(await detail.locator('.ev-record').count()).toBeGreaterThanOrEqual(3);
    expect(await detail.getByTestId('custody-timeline').innerText()).toContain('“assess the counter-claim”');
    await screenshot(page, 'evidence-01-flagged-counter-claim', true);
    await detail.getByRole('button', { name: 'Close' }).click();
  });

  it('a photo taken offline waits on the device, then uploads by itself; the hashes match', async () => {
    await page.context().setOffline(true);
    await page.getByLabel('Photo, video, audio or document').setInputFiles({ name: 'crater-2.jpg', mimeType: 'image/jpeg', buffer: PHOTO });
    const orikhiv = await page.locator('#ev-case option', { hasText: '#1 ·' }).getAttribute('value');
    await page.getByLabel('Case', { exact: true }).selectOption(orikhiv!);
    await page.getByLabel('Purpose of collection').fill('second crater at the Orikhiv school');
    await page.getByRole('button', { name: 'Hash and upload' }).click();
    await page.getByText('Saved on this device; it will upload when the connection is back.').waitFor();
    await page.getByTestId('queued-evidence').filter({ hasText: 'crater-2.jpg' }).waitFor();
    // The hash was computed on the device before anything was sent.
    expect(await page.getByTestId('device-hash').innerText()).toBe(PHOTO_SHA);
    await screenshot(page, 'evidence-02-queued-offline', true);

    await page.context().setOffline(false);
    await page.getByTestId('queued-evidence').waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByRole('button', { name: 'Open crater-2.jpg' }).waitFor({ timeout: 10_000 });
    // The form that queued it now says it is stored, with the server's hash beside the device's.
    await page.getByText('Stored: the server computed the same SHA-256 as this device.').waitFor();
    expect(await page.locator('.ev-progress').getByTestId('server-hash').innerText()).toBe(PHOTO_SHA);
  });

  it('the item shows both hashes equal, and its custody log grows each time it is opened', async () => {
    await page.getByRole('button', { name: 'Open crater-2.jpg' }).click();
    const detail = page.locator('.ev-detail');
    await detail.getByRole('heading', { name: 'crater-2.jpg' }).waitFor();
    expect(await detail.getByTestId('device-hash').innerText()).toBe(PHOTO_SHA);
    expect(await detail.getByTestId('server-hash').innerText()).toBe(PHOTO_SHA);
    expect(await detail.getByTestId('hash-verdict').innerText()).toContain('hashes match');
    const timeline = detail.getByTestId('custody-timeline').locator('li');
    expect(await timeline.count()).toBe(2);
    expect(await timeline.nth(0).innerText()).toContain('captured');
    expect(await timeline.nth(1).innerText()).toContain('viewed');
    expect(await timeline.nth(1).innerText()).toContain('“case review”');
    await screenshot(page, 'evidence-03-custody-after-first-view', true);

    await page.getByLabel('Why you are reading evidence').fill('technical analysis');
    await detail.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Open crater-2.jpg' }).click();
    await expect.poll(() => page.locator('.ev-detail [data-testid="custody-timeline"] li').count(), { timeout: 10_000 }).toBe(3);
    expect(await page.locator('.ev-detail [data-testid="custody-timeline"] li').nth(2).innerText()).toContain('“technical analysis”');
    await screenshot(page, 'evidence-04-custody-grows', true);
    expect(errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED') && !e.includes('Failed to load resource'))).toEqual([]);
  });

  it('a permission change is a custody event too, shown live', async () => {
    const detail = page.locator('.ev-detail');
    await detail.getByText('Readers and custody').click();
    await detail.getByLabel('Party', { exact: true }).selectOption('us');
    await detail.getByRole('button', { name: 'Grant read access' }).click();
    await detail.getByText('Recorded in the custody log.').waitFor();
    await expect.poll(() => detail.getByTestId('custody-timeline').innerText(), { timeout: 10_000 }).toContain('access changed');
    // The timeline and the readers line come from two answers; the readers line may follow a moment later.
    await expect.poll(() => detail.innerText(), { timeout: 10_000 }).toContain('party:us');
  });

  it('speaks Ukrainian', async () => {
    await page.getByRole('button', { name: 'Українська' }).click();
    await page.getByRole('heading', { name: 'Докази за справами' }).waitFor();
    expect(await page.locator('.ev-detail').getByTestId('custody-timeline').innerText()).toContain('переглянуто');
    await screenshot(page, 'evidence-05-ukrainian', true);
    await page.getByRole('button', { name: 'English' }).click();
  });
});

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
 * The framework as diplomats and drafters use it: the text of the current version with its contents,
 * bracketed alternatives and machine-readable parts; both languages side by side; what changed since
 * the version in force; and sign-off — "same script" red while five parties are on an older version,
 * a signature made in another browser turning a party green on the mediator's screen within a second,
 * and a signature on a stale hash refused with the server's message naming both hashes.
 */

const LIVE_WITHIN_MS = 1_000;

interface Overview {
  versions: { number: number; hash: string; note: string }[];
  signOff: { currentHash: string; currentVersion: number; sameScript: boolean; missing: string[] };
  inForce: { number: number; since: string } | null;
}

interface VersionDocument {
  document: { chapters: { id: string; articles: { id: string; clauses: { id: string; status: string }[] }[] }[] };
}

/** The rendered text of an element (cells and blocks apart) with runs of white space collapsed, as a reader sees it. */
async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
}

describeWithBrowser('framework: text, versions, changes and sign-off', () => {
  let server: RunningServer;
  let browser: Browser;
  let signerBrowser: Browser;
  let page: Page;
  let pageErrors: string[];
  let overview: Overview;
  let current: VersionDocument;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startServer();
    const mediator = await signInOverHttp(server.url, 'mediator');
    overview = (await getJson(server.url, '/api/v1/framework', mediator)) as Overview;
    current = (await getJson(server.url, `/api/v1/framework/versions/${overview.signOff.currentVersion}`, mediator)) as VersionDocument;
    browser = await launchBrowser();
    page = await browser.newPage();
    pageErrors = watchPageErrors(page);
  });

  afterAll(async () => {
    await signerBrowser?.close();
    await browser?.close();
    await server?.stop();
  });

  it('the demo is what this suite expects: three versions, v2 in force, v3 current and signed by UA and US only', () => {
    expect(overview.versions.map((v) => v.number)).toEqual([1, 2, 3]);
    expect(overview.inForce?.number).toBe(2);
    expect(overview.signOff.currentVersion).toBe(3);
    expect(overview.signOff.sameScript).toBe(false);
    expect([...overview.signOff.missing].sort()).toEqual(['de', 'fr', 'gb', 'ru', 'tr']);
  });

  it('the mediator reads the current text: numbered contents, status badges, alternatives as diplomats write them', async () => {
    await signIn(page, server.url, 'mediator');
    await page.goto(`${server.url}/#/framework`);
    await page.getByRole('heading', { level: 1, name: 'Framework' }).waitFor();
    const tree = page.getByRole('tree');
    await tree.waitFor();

    // Contents: every chapter, article and clause of the document, in its order.
    const ids = current.document.chapters.flatMap((ch) => [ch.id, ...ch.articles.flatMap((a) => [a.id, ...a.clauses.map((c) => c.id)])]);
    const treeIds = await tree.locator('[role="treeitem"]').evaluateAll((items) => items.map((i) => i.getAttribute('data-node')));
    expect(treeIds).toEqual(['preamble', ...ids]);
    expect(await tree.locator('[data-node="c-buffer-zone"] .fw-status').first().textContent()).toBe('bracketed');
    expect(await tree.locator('[data-node="c-thanks"] .fw-status').first().textContent()).toBe('open');
    expect(await tree.locator('[data-node="c-purpose"] .fw-status').first().textContent()).toBe('agreed');

    // Articles are numbered through the document; chapters in roman numerals.
    await page.getByRole('heading', { level: 4, name: 'Article 5. Buffer zone' }).waitFor();
    expect(await page.getByRole('heading', { level: 3, name: 'Chapter II. Ceasefire and separation of forces' }).count()).toBe(1);

    // Every bracketed clause of the document is marked as such in the text.
    const bracketed = current.document.chapters.flatMap((ch) =>
      ch.articles.flatMap((a) => a.clauses.filter((c) => c.status === 'bracketed').map((c) => c.id)),
    );
    expect(bracketed.length).toBeGreaterThanOrEqual(6);
    const shownBracketed = await page
      .locator('.fw-clause[data-status="bracketed"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-clause')));
    expect(shownBracketed).toEqual(bracketed);

    // "[A: … (proposed by UA, UK, FR)] [B: … (proposed by RU)]", proposers in the order the parties are declared.
    const alternatives = page.locator('#fw-clause-c-buffer-zone .fw-alternative');
    expect(await alternatives.count()).toBe(2);
    expect(await textOf(page, '#fw-clause-c-buffer-zone .fw-alternative[data-alternative="A"]')).toBe(
      '[A: to a distance of 15 kilometres on each side of the line (ILLUSTRATIVE geometry). (proposed by UA, UK, FR)]',
    );
    expect(await textOf(page, '#fw-clause-c-buffer-zone .fw-alternative[data-alternative="B"]')).toMatch(
      /^\[B: to a distance of 5 kilometres .* \(proposed by RU\)\]$/,
    );
    // Each alternative is set apart visually from the other.
    const [toneA, toneB] = await alternatives.evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    expect(toneA).not.toBe(toneB);
    // Clause ids are there as anchors.
    expect(await page.locator('#fw-clause-c-buffer-zone a.fw-anchor').textContent()).toBe('#c-buffer-zone');

    // The machine-readable part reads as one line, and opens to its JSON.
    const chip = page.locator('#fw-clause-c-buffer-zone .fw-part[data-alternative="A"] .fw-part-chip');
    expect(await chip.textContent()).toContain('buffer 15 km each side');
    expect(await chip.getAttribute('aria-expanded')).toBe('false');
    await chip.click();
    expect(await chip.getAttribute('aria-expanded')).toBe('true');
    const json = page.locator('#fw-clause-c-buffer-zone .fw-part[data-alternative="A"] .fw-part-json');
    expect(JSON.parse((await json.textContent()) ?? '')).toMatchObject({ kind: 'zone', type: 'buffer-zone', width_m: 15000 });
    expect(
      (await page.locator('#fw-clause-c-commit-sea .fw-part[data-alternative="A"] .fw-part-chip').textContent())?.replace(/\s+/g, ' '),
    ).toMatch(/^A commitment · sea · lead TR · backup UK · .* · ladder ladder-military #commit-sea$/);
    await chip.click();

    // The current version and the one in force are marked in the version picker.
    await page.getByRole('button', { name: /^Version 3/ }).click();
    const v2 = page.locator('.fw-version-option[data-version="2"]');
    await v2.waitFor();
    expect(await v2.textContent()).toContain('in force since 7 Jan 2026');
    expect(await page.locator('.fw-version-option[data-version="3"]').textContent()).toContain('current');
    expect(await page.locator('.fw-version-option[data-version="3"]').textContent()).toContain(overview.versions[2]!.hash.slice(0, 12));
    await screenshot(page, 'framework-01-version-picker');
    await page.keyboard.press('Escape');
    expect(await v2.isVisible()).toBe(false);
    await page.locator('#fw-clause-c-ceasefire-start').scrollIntoViewIfNeeded();
    await screenshot(page, 'framework-02-text-en');
  });

  it('the contents work from the keyboard: arrows move, Left closes, Enter brings the clause into view', async () => {
    const chapter = page.locator('[role="treeitem"][data-node="ch-ceasefire"]');
    await chapter.locator('.fw-tree-row').first().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-node'))).toBe('ch-ceasefire');
    await page.keyboard.press('ArrowDown'); // Article 3
    await page.keyboard.press('ArrowDown'); // its first clause
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-node'))).toBe('c-ceasefire-start');
    await page.keyboard.press('ArrowLeft'); // to the article
    await page.keyboard.press('ArrowLeft'); // the article closes
    expect(await page.locator('[role="treeitem"][data-node="art-ceasefire"]').getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('[role="treeitem"][data-node="c-ceasefire-start"]').count()).toBe(0);
    await page.keyboard.press('ArrowRight'); // opens again
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-node'))).toBe('c-ceasefire-scope');
    await page.keyboard.press('Enter');
    const clause = page.locator('#fw-clause-c-ceasefire-scope');
    await expect.poll(() => clause.getAttribute('class')).toContain('fw-clause-highlighted');
    await expect
      .poll(async () => {
        const box = await clause.boundingBox();
        return box !== null && box.y >= 0 && box.y < 900 / 2;
      })
      .toBe(true);
    // The address now points at the clause, so it can be sent to a colleague.
    expect(await page.evaluate(() => window.location.hash)).toContain('clause=c-ceasefire-scope');
  });

  it('reads English and Ukrainian side by side, each clause on one row; a missing translation says so in place', async () => {
    await page.getByRole('button', { name: 'Side by side' }).click();
    expect(await page.getByRole('button', { name: 'Side by side' }).getAttribute('aria-pressed')).toBe('true');
    const cells = page.locator('#fw-clause-c-buffer-zone .fw-clause-body > .fw-row:not(.fw-clause-title) > .fw-cell');
    await expect.poll(() => cells.count()).toBe(2);
    expect(await cells.evaluateAll((els) => els.map((e) => e.getAttribute('lang')))).toEqual(['en', 'uk']);
    const [en, uk] = await cells.evaluateAll((els) => els.map((e) => e.getBoundingClientRect()));
    expect(Math.abs(en!.top - uk!.top)).toBeLessThan(1);
    expect(uk!.left).toBeGreaterThan(en!.right - 1);
    expect(await textOf(page, '#fw-clause-c-buffer-zone .fw-cell[lang="uk"] .fw-alternative[data-alternative="A"]')).toBe(
      '[A: на відстань 15 кілометрів в обидва боки від лінії (ІЛЮСТРАТИВНА геометрія). (пропозиція: UA, UK, FR)]',
    );
    // Chapter and article headings follow each column's language.
    expect(await textOf(page, '#fw-article-art-buffer-h')).toBe('Article 5. Buffer zone Стаття 5. Буферна зона');
    // The courtesy clause has no Ukrainian text yet.
    expect(await textOf(page, '#fw-clause-c-thanks .fw-cell[lang="uk"]')).toBe('Переклад очікується.');
    expect(await page.evaluate(() => window.location.hash)).toContain('lang=en%2Cuk');
    await page.locator('#fw-clause-c-buffer-zone').scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, -120));
    await screenshot(page, 'framework-03-side-by-side');

    // Exports follow the version and the languages on screen.
    const markdown = page.getByRole('link', { name: 'Markdown' });
    expect(await markdown.getAttribute('href')).toBe('/api/v1/framework/versions/3/export?format=md&languages=en%2Cuk');
    expect(await markdown.getAttribute('download')).not.toBeNull();
    expect(await page.getByRole('link', { name: 'Word' }).getAttribute('href')).toBe(
      '/api/v1/framework/versions/3/export?format=docx&languages=en%2Cuk',
    );
    const response = await page.request.get(
      `${server.url}${(await page.getByRole('link', { name: 'Akoma Ntoso' }).getAttribute('href'))!}`,
    );
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain('<akomaNtoso');
  });

  it('shows what changed from version 2 (in force) to version 3, word by word', async () => {
    await page.getByRole('tab', { name: 'Changes' }).click();
    expect(await page.getByRole('tab', { name: 'Changes' }).getAttribute('aria-selected')).toBe('true');
    await page.getByLabel('Compare version').selectOption('2');
    await page.getByLabel('with version').selectOption('3');
    const change = page.locator('.fw-change[data-clause="c-thanks"]');
    await change.waitFor();
    expect(await page.locator('.fw-change').count()).toBe(1);
    expect(await change.getAttribute('data-change')).toBe('changed');
    expect(await textOf(page, '.fw-change[data-clause="c-thanks"] .fw-change-place')).toBe('Article 1 (Purpose), paragraph 3');
    const english = change.locator('.fw-prose-change[data-language="en"]');
    expect(await english.locator('del').count()).toBeGreaterThan(0);
    expect(await textOf(page, '.fw-change[data-clause="c-thanks"] .fw-prose-change[data-language="en"] ins')).toBe(
      'inserted: 2026, and the Republic of Türkiye for preparing the exchanges in Ankara.',
    );
    // Inserted words look inserted: highlighted, not struck through; deleted ones struck through.
    expect(
      await english
        .locator('ins')
        .first()
        .evaluate((e) => getComputedStyle(e).backgroundColor),
    ).not.toBe('rgba(0, 0, 0, 0)');
    expect(
      await english
        .locator('del')
        .first()
        .evaluate((e) => getComputedStyle(e).textDecorationLine),
    ).toBe('line-through');
    expect(await textOf(page, '.fw-diff-summary [data-change="changed"]')).toBe('1 changed');
    // Outside the clauses: the drafters' version label.
    expect(await textOf(page, '.fw-diff-outside')).toContain('/process/version Paris text (illustrative) Ankara draft (illustrative)');
    await change.scrollIntoViewIfNeeded();
    await screenshot(page, 'framework-04-changes-v2-v3');
    await page.getByRole('tab', { name: 'Text' }).click();
    await page.locator('.fw-doc').waitFor();
  });

  it('sign-off is not green: Russia, the UK, France, Germany and Türkiye signed version 2, not the current hash', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    const status = page.getByTestId('same-script');
    expect(await status.getAttribute('data-state')).toBe('no');
    expect(await status.textContent()).toBe('Not the same script');
    expect(await status.evaluate((e) => getComputedStyle(e).color)).not.toBe(
      await page
        .locator('.fw-sign-state[data-state="current"]')
        .first()
        .evaluate((e) => getComputedStyle(e).color),
    );
    expect(await textOf(page, '.fw-signoff-count')).toBe('2 of 7 required parties signed version 3.');
    for (const party of ['ru', 'gb', 'fr', 'de', 'tr']) {
      const row = page.locator(`.fw-signoff-table tr[data-party="${party}"]`);
      expect(await row.getAttribute('data-state'), party).toBe('outdated');
      expect(await row.locator('.fw-sign-state').textContent(), party).toContain('signed an older version (2)');
    }
    for (const party of ['ua', 'us']) {
      expect(await page.locator(`.fw-signoff-table tr[data-party="${party}"]`).getAttribute('data-state'), party).toBe('current');
    }
    expect(await textOf(page, '.fw-signoff-table tr[data-party="gb"] th')).toBe('UK United Kingdom');
    expect(await textOf(page, '.fw-signoff-table tr[data-party="ru"] .fw-signer')).toMatch(/^ru-delegate /);
    // The current hash in full, ready to copy.
    const hash = page.locator('.fw-hash-full');
    expect(await hash.getAttribute('data-hash')).toBe(overview.signOff.currentHash);
    expect((await hash.textContent())?.replace(/\s/g, '')).toBe(overview.signOff.currentHash);
    expect(await page.getByRole('button', { name: 'Copy hash' }).count()).toBe(1);
    expect(await textOf(page, '.fw-signoff-force')).toBe('Version 2 is in force since 7 Jan 2026.');
    // The mediator is not a signer: no signing here.
    expect(await page.getByRole('button', { name: /^Sign version/ }).count()).toBe(0);
    await screenshot(page, 'framework-05-sign-off-red');
  });

  it('a signer who signs a stale hash is refused, and sees the server’s message naming both hashes', async () => {
    signerBrowser = await launchBrowser();
    const signer = await signerBrowser.newPage();
    const signerErrors = watchPageErrors(signer);
    await signIn(signer, server.url, 'ru-delegate');
    await signer.goto(`${server.url}/#/framework`);
    const v2 = overview.versions[1]!.hash;
    const v3 = overview.signOff.currentHash;

    // Straight to the API, as a stale tab or a script would.
    const direct = await signer.evaluate(async (hash) => {
      const session = (await (await fetch('/api/v1/session')).json()) as { csrfToken: string };
      const response = await fetch('/api/v1/framework/signatures', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken, 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ hash }),
      });
      return { status: response.status, body: (await response.json()) as { detail: string } };
    }, v2);
    expect(direct.status).toBe(422);
    expect(direct.body.detail).toContain(v2);
    expect(direct.body.detail).toContain(v3);

    // Through the page: the request leaves with the version 2 hash (a page that was open before version 3 was recorded).
    await signer.route('**/api/v1/framework/signatures', (route) => route.continue({ postData: JSON.stringify({ hash: v2 }) }));
    const sign = signer.getByRole('button', { name: `Sign version 3 (${v3.slice(0, 8)}…)` });
    await sign.click();
    const dialog = signer.getByRole('dialog', { name: 'Sign version 3?' });
    await dialog.waitFor();
    expect((await dialog.locator('.fw-hash-quoted').textContent())?.replace(/\s/g, '')).toBe(v3);
    // A signature cannot be taken back: the dialog opens on Cancel.
    expect(await signer.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await screenshot(signer, 'framework-06-sign-confirm');
    const [refused] = await Promise.all([
      signer.waitForResponse((r) => r.url().endsWith('/api/v1/framework/signatures') && r.request().method() === 'POST'),
      dialog.getByRole('button', { name: 'Sign this version' }).click(),
    ]);
    expect(refused.status()).toBe(422);
    const alert = signer.locator('.fw-sign-problem');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    const shown = await textOf(signer, '.fw-sign-problem');
    expect(shown).toBe(`The signature was not recorded. ${direct.body.detail}`);
    expect(await dialog.isVisible()).toBe(false);
    await screenshot(signer, 'framework-07-stale-hash-refused');
    await signer.unroute('**/api/v1/framework/signatures');
    expect(
      signerErrors.filter((e) => !/status of (401|422)/.test(e)),
      signerErrors.join('\n'),
    ).toEqual([]);
  });

  it('the signer signs the current version; the mediator’s page shows Russia on it within a second', async () => {
    const signer = signerBrowser.context.pages().at(-1)!;
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    await signer.locator('.connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    const ruRow = page.locator('.fw-signoff-table tr[data-party="ru"]');
    expect(await ruRow.getAttribute('data-state')).toBe('outdated');

    await signer.getByRole('button', { name: /^Sign version 3/ }).click();
    const [signed] = await Promise.all([
      signer.waitForResponse((r) => r.url().endsWith('/api/v1/framework/signatures') && r.request().method() === 'POST'),
      signer.getByRole('dialog').getByRole('button', { name: 'Sign this version' }).click(),
    ]);
    const answeredAt = Date.now();
    expect(signed.status()).toBe(201);
    expect(JSON.parse(signed.request().postData() ?? '{}')).toEqual({ hash: overview.signOff.currentHash });
    expect(signed.request().headers()['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);

    await page.locator('.fw-signoff-table tr[data-party="ru"][data-state="current"]').waitFor({ timeout: LIVE_WITHIN_MS });
    expect(Date.now() - answeredAt).toBeLessThanOrEqual(LIVE_WITHIN_MS + 100);
    expect(await ruRow.locator('.fw-sign-state').textContent()).toContain('current — version 3');
    await expect.poll(() => textOf(page, '.fw-signoff-count')).toBe('3 of 7 required parties signed version 3.');
    expect(await page.getByTestId('same-script').getAttribute('data-state')).toBe('no');
    expect(
      await page.locator('.fw-signoff-missing [data-party]').evaluateAll((els) => els.map((e) => e.getAttribute('data-party'))),
    ).toEqual(['gb', 'fr', 'de', 'tr']);

    // The signer's own page says so, and offers no second signature.
    await signer.getByText('Russian Federation has signed version 3, the current version.').waitFor();
    expect(await signer.getByRole('button', { name: /^Sign version/ }).count()).toBe(0);
    await screenshot(page, 'framework-08-ru-signed-live');
    await screenshot(signer, 'framework-09-signer-after');
  });

  it('reads in Ukrainian: the interface, the contents and the sign-off', async () => {
    await page.getByRole('group', { name: 'Language', exact: true }).getByRole('button', { name: 'Українська' }).click();
    await page.getByRole('heading', { level: 1, name: 'Рамкова угода' }).waitFor();
    expect(await page.getByTestId('same-script').textContent()).toBe('Не всі на одному тексті');
    expect(await textOf(page, '.fw-signoff-table tr[data-party="gb"] .fw-sign-state')).toBe('! підписано старішу версію (2)');
    // The text alone in Ukrainian: the untranslated clause says so, and shows the English until the translation comes.
    await page.getByRole('group', { name: 'Мова тексту' }).getByRole('button', { name: 'Українська' }).click();
    await page.locator('.fw-doc').waitFor();
    // The contents follow the language of the text.
    expect(await page.locator('[role="treeitem"][data-node="ch-ceasefire"] > .fw-tree-row').first().textContent()).toBe(
      'Розділ II. Припинення вогню та розведення сил',
    );
    expect(await textOf(page, '#fw-clause-c-thanks .fw-cell[lang="uk"] .fw-pending')).toBe('Переклад очікується.');
    expect(await textOf(page, '#fw-clause-c-thanks .fw-cell[lang="uk"] .fw-fallback')).toMatch(
      /^Доки перекладу немає — текст іншою мовою \(англійська\): The participants thank/,
    );
    expect(await page.locator('#fw-clause-c-thanks .fw-fallback [lang="en"]').count()).toBe(1);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'framework-10-ukrainian');
    await page.getByRole('group', { name: 'Мова', exact: true }).getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Framework' }).waitFor();
  });

  it('turns green only when the last required party signs the current hash', async () => {
    const signHere = async (username: string) => {
      const session = await signInOverHttp(server.url, username);
      const answer = await postAs(server.url, session, '/api/v1/framework/signatures', { hash: overview.signOff.currentHash });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    };
    for (const username of ['gb-delegate', 'fr-delegate', 'de-delegate']) await signHere(username);
    await page.locator('.fw-signoff-table tr[data-party="de"][data-state="current"]').waitFor({ timeout: LIVE_WITHIN_MS });
    // Six of seven is still not the same script.
    expect(await page.getByTestId('same-script').getAttribute('data-state')).toBe('no');
    expect(
      await page.locator('.fw-signoff-missing [data-party]').evaluateAll((els) => els.map((e) => e.getAttribute('data-party'))),
    ).toEqual(['tr']);

    await signHere('tr-delegate');
    await page.locator('[data-testid="same-script"][data-state="yes"]').waitFor({ timeout: LIVE_WITHIN_MS });
    expect(await page.getByTestId('same-script').textContent()).toBe('Same script');
    expect(await textOf(page, '.fw-signoff-count')).toBe('All 7 required parties signed version 3.');
    expect(await page.locator('.fw-signoff-missing').count()).toBe(0);
    expect(await page.locator('.fw-signoff').getAttribute('data-same-script')).toBe('true');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'framework-11-same-script-green');
  });

  it('fits a phone: the contents above the text, the languages stacked', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('.fw-doc').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'framework-12-phone-sign-off');
    await page.locator('#fw-clause-c-commit-sea').scrollIntoViewIfNeeded();
    await screenshot(page, 'framework-13-phone-text');
    await page.setViewportSize({ width: 1360, height: 900 });
    expect(
      pageErrors.filter((e) => !/status of 401/.test(e)),
      pageErrors.join('\n'),
    ).toEqual([]);
  });
});

// intel-more.test.mjs - the pages follow the address in headless Chromium. Going to the
// page already shown with another ?query (a link, a typed address, the back button)
// shows that query's data and filters: the indicator store by type, the constituency by
// kind. A page changing its own query (the threat reports' statistics tab, a filter)
// keeps its state, and a link back to the plain address afterwards shows the plain page
// again. A new threat report whose submission is refused keeps its form at the draft's
// edit address, the message under the five-tuples; the new-report address then gives an
// empty form. The data comes through the API. No fixed sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { loginPage } from './lib/incidents.mjs';

const IP = '198.51.100.7';
const DOMAIN = 'malware.example';

let srv;
let browser;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  await browser.context.addInitScript(CSP_RECORDER);
  await srv.api('POST', '/api/v1/indicators/import?format=plain&source=list-a',
    new TextEncoder().encode(`${IP}\n${DOMAIN}\n`));
  await srv.api('POST', '/api/v1/constituents', { name: '某电信运营商', kind: 'operator', ranges: ['192.0.2.0/24'] });
  await srv.api('POST', '/api/v1/constituents', { name: '某云平台', kind: 'platform', ranges: ['203.0.113.0/24'] });
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const row = (page, v) => page.locator(`#indicators-table tr[data-value="${v}"]`);
// Marks the page's root element: a page mounted afresh has lost the mark.
const mark = (page, sel) => page.locator(sel).evaluate((el) => { el.dataset.mark = 'kept'; });
const marked = async (page, sel) => (await page.locator(sel).getAttribute('data-mark')) === 'kept';

test('another ?query of the page shown, by address or by the back button, loads that query', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await loginPage(page, srv.url);

  await page.goto(`${srv.url}/#/indicators?type=ipv4`);
  await row(page, IP).waitFor();
  assert.equal(await row(page, DOMAIN).count(), 0);
  assert.equal(await page.locator('#intel-filter-type').inputValue(), 'ipv4');
  // A typed address: same page, another type.
  await page.evaluate(() => { location.hash = '#/indicators?type=domain'; });
  await row(page, DOMAIN).waitFor();
  await row(page, IP).waitFor({ state: 'detached' });
  assert.equal(await page.locator('#intel-filter-type').inputValue(), 'domain');
  // Back: the first query again.
  await page.goBack();
  await row(page, IP).waitFor();
  await row(page, DOMAIN).waitFor({ state: 'detached' });
  assert.equal(await page.locator('#intel-filter-type').inputValue(), 'ipv4');

  // A filter chosen on the page changes the address and keeps the page...
  await mark(page, '#indicators-page');
  await page.locator('#intel-filter-type').selectOption('domain');
  await page.waitForURL(/#\/indicators\?type=domain$/);
  await row(page, DOMAIN).waitFor();
  await row(page, IP).waitFor({ state: 'detached' });
  assert.ok(await marked(page, '#indicators-page'), 'a filter does not mount the page again');
  // ...and the link to the plain store then shows everything.
  await page.locator('#intel-nav-indicators').click();
  await page.waitForURL(/#\/indicators$/);
  await row(page, IP).waitFor();
  await row(page, DOMAIN).waitFor();
  assert.equal(await page.locator('#intel-filter-type').inputValue(), '');

  // The constituency by kind, by address.
  const cons = (name) => page.locator('#constituents-table tr', { hasText: name });
  await page.goto(`${srv.url}/#/constituents?kind=operator`);
  await cons('某电信运营商').waitFor();
  assert.equal(await cons('某云平台').count(), 0);
  await page.evaluate(() => { location.hash = '#/constituents?kind=platform'; });
  await cons('某云平台').waitFor();
  await cons('某电信运营商').waitFor({ state: 'detached' });
  assert.equal(await page.locator('#cons-filter-kind').inputValue(), 'platform');
  await assertClean(page, watch);
});

test('a tab keeps its page; the link to the plain page shows the list again, back shows the tab', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await page.goto(`${srv.url}/#/threats`);
  await page.locator('#threat-queue-table').waitFor();
  await mark(page, '#threats-page');
  await page.locator('#tab-stats').click();
  await page.waitForURL(/#\/threats\?tab=stats$/);
  await page.locator('#threat-stats-table').waitFor();
  assert.ok(await marked(page, '#threats-page'), 'the tab does not mount the page again');
  await page.locator('#nav-threats').click();
  await page.waitForURL(/#\/threats$/);
  await page.locator('#threat-queue-table').waitFor();
  assert.equal(await page.locator('#threat-stats-table').count(), 0);
  await page.goBack();
  await page.waitForURL(/#\/threats\?tab=stats$/);
  await page.locator('#threat-stats-table').waitFor();
  await assertClean(page, watch);
});

test('a refused submission keeps the new draft at its edit address; the new-report address is an empty form', async () => {
  const page = await browser.context.newPage();
  // The first report of this server: its id is 1.
  const watch = watchPage(page, [{ status: 422, method: 'POST', path: '/api/v1/threat-reports/1/submit' }]);
  await page.goto(`${srv.url}/#/threats/new`);
  await page.locator('#f-title').fill('某僵尸网络控制端');
  await page.locator('#f-category').selectOption('botnet');
  await page.locator('#f-summary').fill('发现控制端。');
  await page.locator('#f-propagation_path').fill('未知');
  await page.locator('#threat-submit').click();
  await page.waitForURL(/#\/threats\/1\/edit$/);
  await page.locator('.field-error[data-error-for="f-tuples"]').waitFor();
  assert.equal(await page.locator('#f-title').inputValue(), '某僵尸网络控制端');
  assert.equal((await srv.api('GET', '/api/v1/threat-reports/1')).status, 'draft');
  await page.evaluate(() => { location.hash = '#/threats/new'; });
  await page.waitForFunction(() => document.getElementById('f-title')?.value === '');
  assert.equal(await page.locator('#threat-form-page .crumbs a').count(), 1, 'no draft in the crumbs');
  assert.equal(await page.locator('.field-error').count(), 0);
  await assertClean(page, watch);
});

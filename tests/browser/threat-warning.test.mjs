// threat-warning.test.mjs - early warnings and bulletins in headless Chromium. A unit
// user writes an early warning through the form (colour, affected product, CVE and
// CNVD ids typed in any case) and submits it; the authority finds it in the review
// queue and publishes it; the unit then finds the bulletin in the bulletin list, by
// its vulnerability id too, and downloads the week's digest as a PDF. No fixed sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { createUnitWithUser } from './lib/selection.mjs';
import { loginPage } from './lib/incidents.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const TITLE = 'Apache Log4j2 远程代码执行漏洞预警';

let srv;
let unitBrowser;
let authBrowser;

before(async () => {
  srv = await startServer();
  unitBrowser = await launchBrowser();
  authBrowser = await launchBrowser();
  await unitBrowser.context.addInitScript(CSP_RECORDER);
  await authBrowser.context.addInitScript(CSP_RECORDER);
  await createUnitWithUser(srv, { name: '贵州黔安网络安全技术有限公司', body17: '91520200MA6D0000A', username: 'unit_a', password: 'unit-password-a1' });
});

after(async () => {
  if (unitBrowser) await unitBrowser.close();
  if (authBrowser) await authBrowser.close();
  if (srv) await srv.stop();
});

test('a unit writes an early warning, the authority publishes it, every unit reads the bulletin', async () => {
  const page = await unitBrowser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await loginPage(page, srv.url, 'unit_a', 'unit-password-a1');
  await page.locator('#nav-early-warnings').click();
  await page.waitForURL(/#\/early-warnings$/);
  await page.locator('#warnings-table').waitFor();
  await page.locator('#warning-new').click();
  await page.locator('#f-title').fill(TITLE);
  const at = new Date(Date.now() - 26 * 3600e3 + 8 * 3600e3).toISOString().slice(0, 16);
  await page.locator('#f-event_at').fill(at);
  await page.locator('#f-colour-orange').check();
  await page.locator('#f-description').fill('Apache Log4j2 存在 JNDI 注入远程代码执行漏洞。');
  await page.locator('#f-cause').fill('lookup 功能未限制 JNDI 协议。');
  await page.locator('#f-impact').fill('使用 Log4j2 2.0-beta9 至 2.14.1 的 Java 应用。');
  await page.locator('#f-countermeasures').fill('升级至 2.17.1 及以上版本。');
  await page.locator('#f-analysis').fill('已监测到利用该漏洞投放挖矿程序的攻击。');
  await page.locator('#add-affected_products').click();
  await page.locator('#f-affected_products-0-vendor').fill('Apache');
  await page.locator('#f-affected_products-0-product').fill('Log4j2');
  await page.locator('#f-affected_products-0-versions').fill('2.0-beta9 至 2.14.1');
  await page.locator('#f-references').fill('cve-2021-44228\nCNVD-2021-95914');
  await page.locator('#warning-submit').click();
  await page.waitForURL(/#\/early-warnings\/\d+$/);
  const id = Number(/#\/early-warnings\/(\d+)$/.exec(page.url())[1]);
  await page.locator('#warning-status[data-code="submitted"]').waitFor();
  await page.locator('#warning-references', { hasText: 'CVE-2021-44228' }).waitFor();
  await assertClean(page, watch);

  // The authority publishes it from the queue.
  const apage = await authBrowser.context.newPage();
  const awatch = watchPage(apage, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await loginPage(apage, srv.url);
  await apage.locator('#nav-early-warnings').click();
  const row = apage.locator(`#warning-queue-table tr[data-warning-id="${id}"]`);
  await row.waitFor();
  await row.locator('a.unit-link').click();
  await apage.locator('#warning-review').click();
  await apage.locator('#warning-decision-publish').check();
  await apage.locator('#warning-review-confirm').click();
  await apage.locator('#warning-status[data-code="published"]').waitFor();
  await assertClean(apage, awatch);

  // The unit reads it among the bulletins, by its CVE id too, and gets the week's digest.
  await page.locator('#nav-bulletins').click();
  await page.waitForURL(/#\/bulletins$/);
  await page.locator(`#bulletins-table tr[data-warning-id="${id}"]`, { hasText: TITLE }).waitFor();
  await page.locator('#bulletin-filter-ref').fill('cve-2021-44228');
  await page.locator('#bulletin-search').click();
  await page.locator(`#bulletins-table tr[data-warning-id="${id}"]`).waitFor();
  await page.locator('#bulletin-filter-ref').fill('CVE-2020-0001');
  await page.locator('#bulletin-search').click();
  await page.locator(`#bulletins-table tr[data-warning-id="${id}"]`).waitFor({ state: 'detached' });
  await page.screenshot({ path: `${SHOTS}/yj-bulletins.png`, fullPage: true });
  const href = await page.locator('#digest-download').getAttribute('href');
  assert.match(href, /period=week/);
  const pdf = await page.request.get(`${srv.url}${href}`);
  assert.equal(pdf.status(), 200);
  assert.match(pdf.headers()['content-type'], /application\/pdf/);
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  await assertClean(page, watch);
});

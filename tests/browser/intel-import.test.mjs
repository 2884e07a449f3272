// intel-import.test.mjs - the indicator store's import and the constituency in
// headless Chromium. The authority uploads a small STIX 2.1 bundle on the import page:
// the format is recognised, the counts (read, new, merged) and the parts not imported
// show; the same file again merges everything. The imported values are listed in the
// store, exported as CSV, and one gets a new TLP and expiry on its page. Then a constituent is made through the form, the resolve box finds it as the
// owner of an address in its range, and a second one claiming the same range is
// refused with the message under the ranges box. A warning list uploaded on its page
// flags what a feed (made and run on the feeds page) brings in. No fixed sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { loginPage } from './lib/incidents.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const TS = '2026-01-10T08:00:00.000Z';

const indicator = (n, pattern) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--0c1d6a2e-6a3b-4c39-9c7d-1f5e2b3c4d0${n}`, created: TS,
  modified: TS, pattern, pattern_type: 'stix', valid_from: TS, labels: ['malicious-activity'],
});

// Three indicators the store takes, one pattern it cannot, one object that is no indicator.
const BUNDLE = {
  type: 'bundle', id: 'bundle--6f9a1c34-1d1e-4c2b-9b8a-2f0e1e0f0a01', objects: [
    indicator(1, "[ipv4-addr:value = '192.0.2.10']"),
    indicator(2, "[domain-name:value = 'cnc.evil.example']"),
    indicator(3, `[file:hashes.'SHA-256' = '${'ab'.repeat(32)}']`),
    indicator(4, "[process:name = 'evil.exe']"),
    { type: 'malware', spec_version: '2.1', id: 'malware--0c1d6a2e-6a3b-4c39-9c7d-1f5e2b3c4d05', created: TS, modified: TS,
      name: 'Mirai', is_family: true },
  ],
};

let srv;
let browser;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  await browser.context.addInitScript(CSP_RECORDER);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

async function importBundle(page) {
  await page.locator('#import-file').setInputFiles({
    name: 'mirai-c2.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(BUNDLE)),
  });
  await page.locator('#import-file-name', { hasText: 'mirai-c2.json' }).waitFor();
  await page.locator('#import-go:not([disabled])').waitFor();
  assert.equal(await page.locator('#import-format').inputValue(), 'stix');
  await page.locator('#import-go').click();
}

test('a STIX bundle imported through the UI shows its counts and problems, and merges the second time', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await loginPage(page, srv.url);
  await page.locator('#nav-indicators').click();
  await page.waitForURL(/#\/indicators$/);
  await page.locator('#indicators-table').waitFor();
  await page.locator('#intel-nav-import').click();
  await page.waitForURL(/#\/indicators\/import$/);
  await importBundle(page);
  assert.equal(await page.locator('#import-source').inputValue(), 'mirai-c2');
  await page.locator('#import-objects[data-count="5"]').waitFor();
  await page.locator('#import-imported[data-count="3"]').waitFor();
  await page.locator('#import-merged[data-count="0"]').waitFor();
  await page.locator('#import-problems-count[data-count="2"]').waitFor();
  await page.locator('#import-problems tr', { hasText: 'evil.exe' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-intel-import.png`, fullPage: true });

  // Once more: nothing new, everything merged.
  await importBundle(page);
  await page.locator('#import-merged[data-count="3"]').waitFor();
  await page.locator('#import-imported[data-count="0"]').waitFor();

  // The store lists them with their source.
  await page.locator('#intel-nav-indicators').click();
  await page.waitForURL(/#\/indicators$/);
  for (const v of ['192.0.2.10', 'cnc.evil.example', 'ab'.repeat(32)]) {
    await page.locator(`#indicators-table tr[data-value="${v}"]`).waitFor();
  }
  await page.locator('#intel-filter-type').selectOption('domain');
  await page.locator('#indicators-table tr[data-value="192.0.2.10"]').waitFor({ state: 'detached' });
  // The export of the selection (domains) as CSV.
  const csv = await page.request.get(`${srv.url}${await page.locator('#export-csv').getAttribute('href')}`);
  assert.equal(csv.status(), 200);
  const text = await csv.text();
  assert.match(text, /cnc\.evil\.example/);
  assert.doesNotMatch(text, /192\.0\.2\.10/);
  await page.locator('#indicators-table tr[data-value="cnc.evil.example"] a').click();
  await page.locator('#indicator-sources tr[data-source="mirai-c2"]', { hasText: '2' }).waitFor();

  // TLP and expiry changed on the indicator's page.
  const id = Number(/#\/indicators\/(\d+)$/.exec(page.url())[1]);
  await page.locator('#ind-tlp').selectOption('red');
  await page.locator('#ind-never').uncheck();
  await page.locator('#ind-valid-until').fill('2030-06-30T18:00');
  await page.locator('#ind-tags').fill('mirai, c2');
  await page.locator('#indicator-save').click();
  await page.locator('#indicator-saved').waitFor();
  await page.locator('#indicator-page .tlp[data-tlp="red"]').waitFor();
  const ind = await srv.api('GET', `/api/v1/indicators/${id}`);
  assert.equal(ind.tlp, 'red');
  assert.equal(ind.valid_until, '2030-06-30T10:00:00.000Z');
  assert.deepEqual(ind.tags.filter((x) => !x.includes(':')).sort(), ['c2', 'mirai']);
  await assertClean(page, watch);
});

test('a constituent made through the form owns its range; a second claim on it is refused', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, [
    { status: 401, method: 'GET', path: '/api/v1/session' },
    { status: 409, method: 'POST', path: '/api/v1/constituents' },
  ]);
  await page.goto(`${srv.url}/`);
  await page.locator('#nav-constituents').click();
  await page.waitForURL(/#\/constituents$/);
  await page.locator('#constituent-new').click();
  await page.locator('#f-name').fill('某电信运营商贵州分公司');
  await page.locator('#f-kind').selectOption('operator');
  await page.locator('#f-province').selectOption('贵州省');
  await page.locator('#f-ranges').fill('203.0.113.0/24\n2001:db8::/32');
  await page.locator('#f-asns').fill('AS4134');
  await page.locator('#f-domains').fill('Example.CN');
  await page.locator('#add-contacts').click();
  await page.locator('#f-contacts-0-role').selectOption('abuse');
  await page.locator('#f-contacts-0-email').fill('abuse@example.cn');
  await page.locator('#constituent-save').click();
  await page.waitForURL(/#\/constituents\/\d+$/);
  const id = Number(/#\/constituents\/(\d+)$/.exec(page.url())[1]);
  await page.locator('#constituent-facts', { hasText: 'example.cn' }).waitFor();
  await page.locator('#constituent-facts', { hasText: 'AS4134' }).waitFor();

  await page.locator('#nav-constituents').click();
  await page.locator(`#constituents-table tr[data-constituent-id="${id}"]`).waitFor();
  await page.locator('#resolve-value').fill('203.0.113.77');
  await page.locator('#resolve-go').click();
  await page.locator(`#resolve-result[data-owner-id="${id}"]`, { hasText: '203.0.113.0/24' }).waitFor();
  await page.locator('#resolve-value').fill('www.example.cn');
  await page.locator('#resolve-go').click();
  await page.locator(`#resolve-result[data-owner-id="${id}"]`).waitFor();

  // Another organisation claiming the same range: refused, named under the box.
  await page.locator('#constituent-new').click();
  await page.locator('#f-name').fill('某云平台');
  await page.locator('#f-kind').selectOption('platform');
  await page.locator('#f-ranges').fill('198.51.100.0/24\n203.0.113.0/24');
  await page.locator('#constituent-save').click();
  await page.locator('.field-error[data-error-for="f-ranges"]', { hasText: '203.0.113.0/24' }).waitFor();
  assert.match(page.url(), /#\/constituents\/new$/);
  const all = await srv.api('GET', '/api/v1/constituents');
  assert.equal(all.items.length, 1);
  await assertClean(page, watch);
});

test('a warning list uploaded through the UI flags what a feed run from the UI imports', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await page.goto(`${srv.url}/#/warninglists`);
  await page.locator('#warninglists-table').waitFor();
  const list = { name: 'Public DNS resolvers', version: 7, description: 'Well-known public resolvers', type: 'cidr',
    list: ['8.8.8.8/32', '114.114.114.114/32'] };
  await page.locator('#wl-upload').setInputFiles({ name: 'public-dns.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(list)) });
  const row = page.locator('#warninglists-table tr[data-enabled="true"]', { hasText: 'Public DNS resolvers' });
  await row.waitFor();
  assert.match(await row.innerText(), /\b2\b/);

  const file = path.join(srv.dir, 'blocklist.txt');
  await writeFile(file, '# a plain list\n198.51.100.23\n114.114.114.114\nbad.example.net\n');
  await page.locator('#intel-nav-feeds').click();
  await page.waitForURL(/#\/feeds$/);
  await page.locator('#feed-new').click();
  await page.locator('#feed-name').fill('local-blocklist');
  await page.locator('#feed-format').selectOption('plain');
  await page.locator('#feed-source').fill(`file://${file}`);
  await page.locator('#feed-interval_minutes').fill('1440');
  await page.locator('#feed-create').click();
  const feed = page.locator('#feeds-table tr', { hasText: 'local-blocklist' });
  await feed.waitFor();
  const id = await feed.getAttribute('data-feed-id');
  await page.locator(`#feed-run-${id}`).click();
  await feed.locator('[data-status="ok"]').waitFor();
  assert.match(await feed.innerText(), /每 1440 分钟/);
  await page.locator('#intel-nav-indicators').click();
  await page.locator('#indicators-table tr[data-value="114.114.114.114"] [data-state="flagged"]').waitFor();
  await page.locator('#indicators-table tr[data-value="198.51.100.23"] [data-state="live"]').waitFor();
  await page.locator('#intel-filter-state').selectOption('flagged');
  await page.locator('#indicators-table tr[data-value="198.51.100.23"]').waitFor({ state: 'detached' });
  await page.locator('#indicators-table tr[data-value="114.114.114.114"]').waitFor();
  await assertClean(page, watch);
});

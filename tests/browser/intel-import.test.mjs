// intel-import.test.mjs - the indicator store's import and the constituency in
// headless Chromium. The authority uploads a small STIX 2.1 bundle on the import page:
// the format is recognised, the counts (read, new, merged) and the parts not imported
// show; the same file again merges everything. The imported values are listed in the
// store, exported as CSV, and one gets a new TLP and expiry on its page. Then a constituent is made through the form, the resolve box finds it as the
// owner of an address in its range, and a second one claiming the same range is
// refused with the message under the ranges box. Another constituent is edited on its
// page (a save over someone else's change refused first; a range dropped frees it) and
// deleted. A warning list uploaded on its page flags what a feed (made and run on the
// feeds page) brings in; a CSV feed without a header row, made with its column mapping
// and defaults on that page, imports with them and names the line it could not take.
// No fixed sleeps.
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

test('a constituent is edited and deleted on its page', async () => {
  const made = await srv.full('POST', '/api/v1/constituents', {
    name: '某省政务云', kind: 'government', province: '贵州省', ranges: ['192.0.2.0/25', '198.18.0.0/16'], asns: [64500],
    domains: ['gov-cloud.example'], contacts: [{ role: 'security', name: '李工', email: 'sec@gov-cloud.example' }],
  });
  const id = made.data.id;
  const where = `/api/v1/constituents/${id}`;
  const page = await browser.context.newPage();
  const watch = watchPage(page, [{ status: 412, method: 'PATCH', path: where }]);
  await page.goto(`${srv.url}/#/constituents/${id}`);
  await page.locator('#constituent-facts', { hasText: '198.18.0.0/16' }).waitFor();
  await page.locator('#constituent-edit').click();
  await page.waitForURL(new RegExp(`#/constituents/${id}/edit$`));
  assert.equal(await page.locator('#f-ranges').inputValue(), '192.0.2.0/25\n198.18.0.0/16');
  assert.equal(await page.locator('#f-asns').inputValue(), 'AS64500');
  assert.equal(await page.locator('#f-contacts-0-email').inputValue(), 'sec@gov-cloud.example');

  // Someone changes it meanwhile: this save is refused and overwrites nothing.
  await srv.api('PATCH', where, { notes: '值班电话已更新' }, { 'If-Match': made.etag });
  await page.locator('#f-name').fill('某省政务云平台');
  await page.locator('#constituent-save').click();
  await page.locator('#constituent-form-page .alert-error').waitFor();
  assert.equal((await srv.api('GET', where)).name, '某省政务云');

  // Again on the new version: renamed, a range dropped, a domain and a contact added.
  await page.reload();
  assert.equal(await page.locator('#f-notes').inputValue(), '值班电话已更新');
  await page.locator('#f-name').fill('某省政务云平台');
  await page.locator('#f-ranges').fill('192.0.2.0/25');
  await page.locator('#f-domains').fill('gov-cloud.example\nportal.gov-cloud.example');
  await page.locator('#f-contacts-0-email').fill('soc@gov-cloud.example');
  await page.locator('#add-contacts').click();
  await page.locator('#f-contacts-1-role').selectOption('abuse');
  await page.locator('#f-contacts-1-phone').fill('0851-12345678');
  await page.locator('#constituent-save').click();
  await page.waitForURL(new RegExp(`#/constituents/${id}$`));
  await page.locator('#constituent-name', { hasText: '某省政务云平台' }).waitFor();
  await page.locator('#constituent-facts', { hasText: 'portal.gov-cloud.example' }).waitFor();
  assert.doesNotMatch(await page.locator('#constituent-facts').innerText(), /198\.18\.0\.0/);
  const c = await srv.api('GET', where);
  assert.deepEqual(c.ranges, ['192.0.2.0/25']);
  assert.deepEqual(c.domains, ['gov-cloud.example', 'portal.gov-cloud.example']);
  assert.deepEqual(c.asns, [64500]);
  assert.equal(c.notes, '值班电话已更新');
  assert.deepEqual(c.contacts.map((x) => [x.role, x.email || x.phone]),
    [['security', 'soc@gov-cloud.example'], ['abuse', '0851-12345678']]);
  assert.equal((await srv.api('GET', '/api/v1/constituents/resolve?value=198.18.0.1')).owner, null);

  // Deleted: gone from the list, its range free.
  await page.locator('#constituent-delete').click();
  await page.locator('.modal', { hasText: '某省政务云平台' }).waitFor();
  await page.locator('.modal-foot .btn-danger').click();
  await page.waitForURL(/#\/constituents$/);
  await page.locator('#constituents-table').waitFor();
  assert.equal(await page.locator(`#constituents-table tr[data-constituent-id="${id}"]`).count(), 0);
  await assert.rejects(srv.api('GET', where), / -> 404 /);
  assert.equal((await srv.api('GET', '/api/v1/constituents/resolve?value=192.0.2.1')).owner, null);
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

test('a CSV feed with a column mapping, made and run from the UI, imports with its defaults', async () => {
  const file = path.join(srv.dir, 'c2-no-header.csv');
  await writeFile(file, '198.51.100.60,ipv4,botnet\ncnc.csv-feed.example,domain,botnet\nnot-an-address,ipv4,botnet\n');
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await page.goto(`${srv.url}/#/feeds`);
  await page.locator('#feeds-table').waitFor();
  await page.locator('#feed-new').click();
  await page.locator('#feed-name').fill('csv-c2');
  assert.equal(await page.locator('#feed-columns').count(), 0, 'a mapping only for CSV');
  await page.locator('#feed-format').selectOption('csv');
  await page.locator('#feed-columns').fill('value,type,category');
  await page.locator('#feed-source').fill(`file://${file}`);
  await page.locator('#feed-tlp').selectOption('amber');
  await page.locator('#feed-confidence').fill('80');
  await page.locator('#feed-create').click();
  const feed = page.locator('#feeds-table tr', { hasText: 'csv-c2' });
  await feed.waitFor();
  const id = await feed.getAttribute('data-feed-id');
  await page.locator(`#feed-columns-${id}`, { hasText: 'value,type,category' }).waitFor();
  const saved = await srv.api('GET', `/api/v1/feeds/${id}`);
  assert.equal(saved.format, 'csv');
  assert.equal(saved.columns, 'value,type,category');
  assert.equal(saved.defaults.tlp, 'amber');
  assert.equal(saved.defaults.confidence, 80);

  await page.locator(`#feed-run-${id}`).click();
  await feed.locator('[data-status="ok"]').waitFor();
  const counts = await feed.innerText();
  assert.match(counts, /新增 2/);
  assert.match(counts, /未导入 1/);
  // The run history names the row it could not import.
  await feed.locator('button', { hasText: '运行记录' }).click();
  await page.locator(`#feed-runs-${id}`, { hasText: 'line 3' }).waitFor();

  // In the store with the file's types and category and the feed's TLP and confidence.
  await page.goto(`${srv.url}/#/indicators?category=botnet`);
  for (const v of ['198.51.100.60', 'cnc.csv-feed.example']) {
    await page.locator(`#indicators-table tr[data-value="${v}"] .tlp[data-tlp="amber"]`).waitFor();
  }
  const got = (await srv.api('GET', '/api/v1/indicators?category=botnet')).items
    .map((x) => [x.type, x.value, x.tlp, x.confidence]).sort();
  assert.deepEqual(got, [['domain', 'cnc.csv-feed.example', 'amber', 80], ['ipv4', '198.51.100.60', 'amber', 80]]);
  await page.locator('#indicators-table tr[data-value="cnc.csv-feed.example"] a').click();
  await page.locator('#indicator-sources tr[data-source="csv-c2"]').waitFor();
  await assertClean(page, watch);
});

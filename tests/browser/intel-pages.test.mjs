// intel-pages.test.mjs - every threat-intelligence page in headless Chromium, for each
// role: the navigation offers what the server's policy allows (src/auth/policy.c),
// each page loads without errors, console messages or CSP violations, and shows no
// untranslated key in Chinese or in English. The data comes through the API: a
// submitted threat report, an early warning, a constituent, imported indicators, a
// warning list and a feed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { createUnitWithUser } from './lib/selection.mjs';
import { loginPage } from './lib/incidents.mjs';

const NAV = ['nav-threats', 'nav-disposals', 'nav-early-warnings', 'nav-bulletins', 'nav-indicators', 'nav-constituents'];
// A locale key shown as it is: a dotted name of one of this part's tables.
const RAW_KEY = /\b(threat|dispo|warn|bull|intel|imp|wl|feed|cons)\.[a-zA-Z_]+[a-zA-Z_.]*\b/;

let srv;
let browser;
let ids = {};

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  await browser.context.addInitScript(CSP_RECORDER);
  const { unit, client } = await createUnitWithUser(srv, { name: '贵州黔安网络安全技术有限公司', body17: '91520200MA6D0000A', username: 'unit_a', password: 'unit-password-a1' });
  ids.unit = unit.id;
  for (const [username, role] of [['auditor1', 'auditor'], ['expert1', 'expert']]) {
    await srv.api('POST', '/api/v1/users', { username, display_name: username, role, password: 'other-password-1' });
  }
  const r = await client.full('POST', '/api/v1/threat-reports', {
    title: '某钓鱼网站仿冒网上银行', category: 'phishing', summary: '仿冒某银行登录页。', propagation_path: '短信群发链接',
    five_tuples: [{ src_ip: '10.1.1.1', src_port: 50000, dst_ip: '192.0.2.80', dst_port: 443, protocol: 'tcp' }],
    indicators: [{ type: 'url', value: 'http://bank-login.example/x', role: 'malicious' }],
  });
  await client.api('POST', `/api/v1/threat-reports/${r.data.id}/submit`, undefined, { 'If-Match': r.etag });
  ids.report = r.data.id;
  ids.warning = (await client.api('POST', '/api/v1/early-warnings', { title: '某 VPN 设备漏洞预警', colour: 'yellow' })).id;
  ids.constituent = (await srv.api('POST', '/api/v1/constituents', {
    name: '某市政务云', kind: 'government', ranges: ['192.0.2.0/24'], domains: ['gov.example'],
    contacts: [{ role: 'security', email: 'sec@gov.example' }],
  })).id;
  await srv.api('POST', '/api/v1/warninglists', {
    name: 'Public DNS resolvers', type: 'cidr', version: 3, description: 'Public resolvers', list: ['8.8.8.8/32', '1.1.1.1/32'],
  });
  await srv.api('POST', '/api/v1/indicators/import?format=plain&source=list-a',
    new TextEncoder().encode('198.51.100.7\nmalware.example\n8.8.8.8\n'));
  ids.indicator = (await srv.api('GET', '/api/v1/indicators')).items[0].id;
  const file = path.join(srv.dir, 'source-list.txt');
  await writeFile(file, '203.0.113.50\n');
  try {
    await srv.api('POST', '/api/v1/feeds', { name: 'local-list', source: `file://${file}`, format: 'plain', interval_minutes: 60 });
  } catch (e) {
    if (!/ -> 404 /.test(e.message)) throw e; // the feeds arrive separately
  }
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

// Visits each [hash, root selector]; every page must load cleanly with no raw key.
async function visitAll(page, pages) {
  for (const [hash, root] of pages) {
    await page.goto(`${srv.url}/${hash}`);
    await page.locator(root).waitFor();
    await page.locator('.loading').first().waitFor({ state: 'detached' });
    const errors = await page.locator('.alert-error').allInnerTexts();
    assert.deepEqual(errors, [], `errors on ${hash}`);
    const text = await page.locator('#main').innerText();
    assert.doesNotMatch(text, RAW_KEY, `untranslated key on ${hash}`);
  }
}

async function navIds(page) {
  return page.locator('.sidenav a').evaluateAll((as) => as.map((a) => a.id));
}

const AUTHORITY_PAGES = () => [
  ['#/threats', '#threat-queue-table'],
  ['#/threats?tab=stats', '#threat-stats-table'],
  [`#/threats/${ids.report}`, '#threat-facts'],
  ['#/threats/new', '#threat-disposal'],
  ['#/disposals', '#disposals-table'],
  ['#/early-warnings', '#warning-queue'],
  [`#/early-warnings/${ids.warning}`, '#warning-facts'],
  ['#/early-warnings/new', '#warning-form-page form'],
  ['#/bulletins', '#bulletins-table'],
  ['#/indicators', '#indicators-table'],
  [`#/indicators/${ids.indicator}`, '#indicator-edit'],
  ['#/indicators/import', '#import-form'],
  ['#/warninglists', '#warninglists-table'],
  ['#/feeds', '#feeds-page'],
  ['#/constituents', '#constituents-table'],
  [`#/constituents/${ids.constituent}`, '#constituent-facts'],
  [`#/constituents/${ids.constituent}/edit`, '#f-ranges'],
  ['#/constituents/new', '#constituent-form-page form'],
];

test('the authority: every page, in Chinese and in English', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await loginPage(page, srv.url);
  assert.deepEqual((await navIds(page)).filter((x) => NAV.includes(x)), NAV);
  await visitAll(page, AUTHORITY_PAGES());
  await page.locator('#lang-en').click();
  await visitAll(page, AUTHORITY_PAGES());
  await page.goto(`${srv.url}/#/indicators`);
  await page.locator('#nav-indicators', { hasText: 'Indicators' }).waitFor();
  await page.locator('#indicators-table tr[data-value="8.8.8.8"] [data-state="flagged"]').waitFor();
  await page.locator('#lang-zh').click();
  await page.locator('#nav-indicators', { hasText: '指标库' }).waitFor();
  await assertClean(page, watch);
  await page.close();
});

test('a unit, an auditor and an expert see what their role allows', async () => {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await loginPage(page, srv.url, 'unit_a', 'unit-password-a1');
  assert.deepEqual((await navIds(page)).filter((x) => NAV.includes(x)),
    ['nav-threats', 'nav-early-warnings', 'nav-bulletins', 'nav-indicators']);
  await visitAll(page, [
    ['#/threats', '#threats-table'],
    [`#/threats/${ids.report}`, '#threat-facts'],
    ['#/early-warnings', '#warnings-table'],
    ['#/bulletins', '#bulletins-table'],
    ['#/indicators', '#indicators-table'],
  ]);
  assert.equal(await page.locator('#intel-nav-import').count(), 0);
  assert.equal(await page.locator('.subnav').count(), 0);
  await page.goto(`${srv.url}/#/constituents`);
  await page.locator('#main .alert-error').waitFor(); // the forbidden page
  await page.locator('#logout').click();
  await page.waitForURL(/#\/login$/);

  await loginPage(page, srv.url, 'auditor1', 'other-password-1');
  assert.deepEqual((await navIds(page)).filter((x) => NAV.includes(x)), NAV);
  await visitAll(page, [
    ['#/threats', '#threats-table'],
    [`#/threats/${ids.report}`, '#threat-facts'],
    ['#/disposals', '#disposals-table'],
    ['#/indicators', '#indicators-table'],
    ['#/warninglists', '#warninglists-table'],
    ['#/constituents', '#constituents-table'],
  ]);
  for (const sel of ['#threat-new', '#intel-nav-import', '#constituent-new', '#wl-upload']) {
    assert.equal(await page.locator(sel).count(), 0, `${sel} is not offered to an auditor`);
  }
  await page.locator('#logout').click();
  await page.waitForURL(/#\/login$/);

  await loginPage(page, srv.url, 'expert1', 'other-password-1');
  assert.deepEqual((await navIds(page)).filter((x) => NAV.includes(x)), []);
  await assertClean(page, watch);
});

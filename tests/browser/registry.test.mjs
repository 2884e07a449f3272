// registry.test.mjs - the web UI end to end in headless Chromium:
//  1. the authority logs in, creates a unit with a wrong credit-code check
//     character, sees the error next to that field, fixes it, saves, lands on
//     the unit page and finds the unit.create record in the audit log;
//  2. a unit-role user sees only their own unit and no user management.
// No sleeps: every wait is Playwright's auto-waiting on a locator or URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ADMIN_USER, ADMIN_PASSWORD } from './lib/server.mjs';
import { launchBrowser, watchPage, CSP_RECORDER } from './lib/browser.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const WRONG_CODE = '91350100M000100Y44';
const RIGHT_CODE = '91350100M000100Y43';
const UNIT_NAME = '福州闽安网络安全技术有限公司';

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

// "YYYY-MM-DDTHH:MM" in UTC+8, shifted by hours from now (for datetime-local).
function cstLocal(hoursFromNow) {
  const d = new Date(Date.now() + (8 + hoursFromNow) * 3600 * 1000);
  return d.toISOString().slice(0, 16);
}

async function login(page, username, password) {
  await page.goto(`${srv.url}/`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-submit').click();
}

async function assertClean(page, watch) {
  assert.deepEqual(watch.problems, [], 'console errors or page errors');
  assert.deepEqual(await watch.cspViolations(), [], 'CSP violations');
  assert.deepEqual(watch.unexpectedHttp(), [], 'unexpected HTTP errors');
}

test('authority creates a unit, fixes a credit-code error, finds it in the audit log', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page, [
    { status: 401, method: 'GET', path: '/api/v1/session' }, // page load before logging in
    { status: 400, method: 'POST', path: '/api/v1/units' }, // the wrong check character
  ]);

  await login(page, ADMIN_USER, ADMIN_PASSWORD);
  await page.waitForURL(/#\/units$/);
  assert.match(await page.locator('.brand-title').textContent(), /网络安全应急技术支撑单位管理系统/);
  await page.locator('#units-table').waitFor();
  assert.equal(await page.locator('#nav-users').count(), 1, 'the authority sees user management');

  // The form, filled in with a wrong check character.
  await page.locator('#new-unit').click();
  await page.waitForURL(/#\/units\/new$/);
  await page.locator('#f-name').fill(UNIT_NAME);
  await page.locator('#f-credit_code').fill(WRONG_CODE);
  await page.locator('#f-registered_capital').fill('5000000');
  await page.locator('#f-province').selectOption('福建省');
  await page.locator('#f-city').fill('福州市');
  await page.locator('#f-founded_on').fill('2015-03-01');

  // Contacts: the first added row takes the first free role; make it the interface person.
  await page.locator('#add-contacts').click();
  await page.locator('#f-contacts-0-role').selectOption('interface');
  await page.locator('#f-contacts-0-name').fill('李四');
  await page.locator('#f-contacts-0-mobile').fill('13800000000');
  await page.locator('#f-contacts-0-email').fill('lisi@example.cn');

  await page.locator('#add-staff').click();
  await page.locator('#f-staff-0-name').fill('赵六');
  await page.locator('#f-staff-0-post').fill('应急响应工程师');
  await page.locator('#f-staff-0-certificates').fill('CISP, CISP-IRE');

  await page.locator('#add-capabilities').click();
  await page.locator('#f-capabilities-0-field').selectOption('emergency_handling');
  await page.locator('#f-capabilities-0-description').fill('7×24 应急响应团队');

  await page.locator('#add-oncall').click();
  await page.locator('#f-oncall-0-person').fill('赵六');
  await page.locator('#f-oncall-0-mobile').fill('13900000000');
  await page.locator('#f-oncall-0-starts_at').fill(cstLocal(-2));
  await page.locator('#f-oncall-0-ends_at').fill(cstLocal(24 * 7));

  await page.locator('#save-unit').click();

  // The error sits next to the credit-code field, and a summary on top.
  const codeField = page.locator('.field', { has: page.locator('#f-credit_code') });
  const codeError = codeField.locator('.field-error');
  await codeError.waitFor();
  assert.match(await codeError.textContent(), /校验位错误.*3/);
  assert.equal(await page.locator('#f-credit_code').getAttribute('aria-invalid'), 'true');
  const summary = page.locator('#form-error-summary');
  await summary.waitFor();
  assert.match(await summary.textContent(), /统一社会信用代码/);
  assert.match(await summary.textContent(), /wrong check character/); // the server's own words, small
  assert.match(page.url(), /#\/units\/new$/, 'still on the form');
  assert.equal(await page.locator('.field-error').count(), 1, 'only the credit code is in error');
  await page.screenshot({ path: `${SHOTS}/yj-form-error.png`, fullPage: false });

  // Fix it and save again.
  await page.locator('#f-credit_code').fill(RIGHT_CODE);
  await codeError.waitFor({ state: 'detached' });
  await page.locator('#save-unit').click();
  await page.waitForURL(/#\/units\/\d+$/);
  const unitId = Number(/#\/units\/(\d+)$/.exec(page.url())[1]);
  await page.locator('#unit-name', { hasText: UNIT_NAME }).waitFor();
  assert.match(await page.locator('.subhead').textContent(), new RegExp(RIGHT_CODE));
  await page.locator('#section-basic').waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-unit-page.png`, fullPage: true });

  // The sections show what was entered; the interface contact is highlighted,
  // the on-call shift running now is marked.
  await page.locator('#tab-contacts').click();
  const iface = page.locator('.contact-card.contact-interface');
  await iface.waitFor();
  assert.match(await iface.textContent(), /李四/);
  await page.locator('#tab-staff').click();
  await page.locator('#section-staff .chip-cert', { hasText: 'CISP-IRE' }).waitFor();
  await page.locator('#tab-oncall').click();
  await page.locator('#section-oncall tr.row-now', { hasText: '赵六' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-unit-oncall.png`, fullPage: true });
  await page.locator('#tab-history').click();
  await page.locator('#section-history td', { hasText: '新增单位' }).first().waitFor();

  // The audit log has the unit.create record for this unit.
  await page.locator('#nav-audit').click();
  await page.waitForURL(/#\/audit$/);
  const record = page.locator(`#audit-table tr[data-action="unit.create"][data-object="unit:${unitId}"]`);
  await record.waitFor();
  assert.equal(await record.count(), 1);
  assert.match(await record.textContent(), new RegExp(UNIT_NAME));
  assert.match(await record.textContent(), new RegExp(RIGHT_CODE));
  assert.match(await record.textContent(), /admin/);

  // Filtering by object narrows the table to this unit's records.
  await page.locator('#audit-object_type').selectOption('unit');
  await page.locator('#audit-object_id').fill(String(unitId));
  await page.locator('#audit-search').click();
  // Wait (by polling the DOM, no fixed delay) until the table shows the filtered page.
  await page.waitForFunction((want) => {
    const rows = [...document.querySelectorAll('#audit-table tbody tr[data-action]')];
    return rows.length > 0 && rows.every((r) => r.getAttribute('data-object') === want);
  }, `unit:${unitId}`);
  const actions = await page.locator('#audit-table tbody tr[data-action]').evaluateAll((rows) =>
    rows.map((r) => r.getAttribute('data-action')),
  );
  assert.deepEqual(actions, ['unit.create'], 'the new unit has exactly one audit record');
  await page.screenshot({ path: `${SHOTS}/yj-audit.png`, fullPage: true });

  // Logging out lands on the login page.
  await page.locator('#logout').click();
  await page.locator('#login-username').waitFor();
  await page.waitForURL(/#\/login$/);

  await assertClean(page, watch);
  await page.close();
});

test('a unit user sees only their own unit and no user management', async () => {
  const own = await srv.api('POST', '/api/v1/units', {
    name: '贵州黔安网络安全技术有限公司', credit_code: withCheck('91520200MA6D0000A'), province: '贵州省',
  });
  const other = await srv.api('POST', '/api/v1/units', {
    name: '云南滇安信息技术有限公司', credit_code: withCheck('91530100MA6K0000B'), province: '云南省',
  });
  await srv.api('POST', '/api/v1/users', {
    username: 'unit_qianan',
    display_name: '黔安接口人',
    role: 'unit',
    unit_id: own.id,
    password: 'unit-password-456',
  });

  const page = await browser.context.newPage();
  const watch = watchPage(page, [
    { status: 401, method: 'GET', path: '/api/v1/session' },
    { status: 404, method: 'GET', path: `/api/v1/units/${other.id}` },
  ]);
  // Start without any session, whatever the previous test left behind.
  await browser.context.clearCookies();
  await login(page, 'unit_qianan', 'unit-password-456');

  // Lands on its own unit's page.
  await page.waitForURL(new RegExp(`#/units/${own.id}$`));
  await page.locator('#unit-name', { hasText: own.name }).waitFor();
  await page.locator('#nav-my-unit').waitFor();
  assert.equal(await page.locator('#nav-users').count(), 0, 'no user management for a unit user');
  assert.equal(await page.locator('#nav-audit').count(), 0, 'no audit log for a unit user');
  assert.equal(await page.locator('#delete-unit').count(), 0, 'a unit user cannot delete');
  assert.equal(await page.locator('#edit-unit').count(), 1, 'a unit user may edit its own unit');
  assert.equal(await page.locator('#personal-hidden').count(), 0, 'its own personal data is visible');

  // The unit list holds this unit only.
  await page.goto(`${srv.url}/#/units`);
  await page.locator('#units-table a.unit-link').first().waitFor();
  const names = await page.locator('#units-table a.unit-link').allTextContents();
  assert.deepEqual(names, [own.name]);
  assert.equal(await page.locator('#new-unit').count(), 0);

  // Another unit's page is not found; user management is refused.
  await page.goto(`${srv.url}/#/units/${other.id}`);
  await page.locator('.alert-error', { hasText: '对象不存在' }).waitFor();
  await page.goto(`${srv.url}/#/users`);
  await page.locator('.alert-error', { hasText: '无权' }).waitFor();

  // The language switch is remembered across a reload.
  await page.locator('#lang-en').click();
  await page.locator('#nav-my-unit', { hasText: 'My unit' }).waitFor();
  await page.reload();
  await page.locator('#nav-my-unit', { hasText: 'My unit' }).waitFor();
  await page.locator('#lang-zh').click();
  await page.locator('#nav-my-unit', { hasText: '本单位' }).waitFor();

  await assertClean(page, watch);
  await page.close();
});

// GB 32100-2015: the 18th character of a unified social credit code.
function withCheck(body17) {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += chars.indexOf(body17[i]) * weights[i];
  return body17 + chars[(31 - (sum % 31)) % 31];
}

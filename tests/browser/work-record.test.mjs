// work-record.test.mjs - the work record in headless Chromium, on the server's
// test clock. A unit accepts a real dispatch 90 s after its notice (through the
// API). Its user logs this month's work on that dispatch, choosing it in the form,
// then two work entries for last month, corrects one (If-Match) and sees the
// month's total and the totals by kind, and deletes a mistaken one; the
// authority sends a drill to that unit through the form; the clock moves 3 min
// 20 s; the unit acknowledges it with one click from its drills page; the
// authority sees the acknowledgement time and how long it took, next to the
// unit's real dispatch acknowledgement median (1 min 30 s). The obligations
// table shows the unit's month with its hours and 达标/未达标 marks, and the
// unit's 12-month view the same month and the monthly average. No sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ADMIN_USER, ADMIN_PASSWORD } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { createUnitWithUser } from './lib/selection.mjs';
import { cstMonth, cstMonthStart, cstLocal, dispatchTo, login, logout, fillLog } from './lib/work.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const UNIT = '贵州黔安网络安全技术有限公司';
const OTHER = '六盘水云盾信息技术有限公司';
const USER = 'unit_qianan';
const PASSWORD = 'unit-password-456';

let srv;
let browser;

before(async () => {
  srv = await startServer({ clock: true });
  browser = await launchBrowser();
  await browser.context.addInitScript(CSP_RECORDER);
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
});

const text = async (loc) => (await loc.textContent()).replace(/\s+/g, ' ').trim();

test('a unit logs its work, answers a drill, and the authority sees the obligations', async () => {
  const { unit, client } = await createUnitWithUser(srv, { name: UNIT, body17: '91520200MA6D0000A', username: USER, password: PASSWORD });
  const { unit: other } = await createUnitWithUser(srv, { name: OTHER, body17: '91520200MA6D0001B', username: 'unit_yundun', password: PASSWORD });
  const month = cstMonth(srv.now(), -1); // last month: every entry lies wholly in the past
  const dispatch = await dispatchTo(srv, unit.id, '某医院信息系统遭勒索软件攻击');
  await srv.setClock(srv.now() + 90e3);
  await client.api('POST', `/api/v1/dispatches/${dispatch.id}/actions`, { action: 'accept' });

  const page = await browser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);

  // --- the unit's work log -----------------------------------------------------------
  await login(page, srv.url, USER, PASSWORD);
  await page.locator('#unit-name', { hasText: UNIT }).waitFor();
  assert.equal(await page.locator('#unit-obligations').getAttribute('href'), `#/obligations/${unit.id}`,
    'the registry page links to the unit\'s obligations');
  const nav = await page.locator('.sidenav a').evaluateAll((as) => as.map((a) => a.id));
  assert.deepEqual(nav.filter((id) => ['nav-worklog', 'nav-obligations', 'nav-drills'].includes(id)),
    ['nav-worklog', 'nav-obligations', 'nav-drills'], 'a unit\'s work entries in its order');

  await page.locator('#nav-worklog').click();
  await page.waitForURL(/#\/worklog/);

  // This month: a quarter of an hour on the dispatch, chosen from the unit's dispatches.
  await page.locator('#worklog-table .empty-row').waitFor();
  const now = srv.now();
  const from = Math.max(Math.ceil((now - 20 * 60e3) / 60e3) * 60e3, cstMonthStart(now));
  await page.locator('#worklog-new').click();
  assert.match(await page.locator(`#wl-dispatch option[value="${dispatch.id}"]`).textContent(), /勒索软件/);
  await fillLog(page, {
    kind: 'incident_response', dispatch: dispatch.id, task: '勒索软件事件远程研判',
    start: cstLocal(from), end: cstLocal(from + 15 * 60e3), people: 2,
  });
  await page.locator('#work-total[data-minutes="30"]').waitFor();
  assert.equal(await text(page.locator('#work-total')), '0.5 人时');
  const linked = page.locator('#worklog-table .worklog-row').first();
  assert.equal(await linked.locator('.worklog-dispatch').getAttribute('href'), `#/dispatches/${dispatch.id}`);
  const [onDispatch] = (await client.api('GET', '/api/v1/work-logs')).items;
  assert.equal(onDispatch.dispatch_id, dispatch.id);
  assert.equal(onDispatch.incident_id, dispatch.incident_id);

  // Last month: two entries, one corrected.
  await page.locator('#worklog-month').fill(month);
  await page.locator('#worklog-table .empty-row').waitFor();
  await page.locator('#work-total[data-minutes="0"]').waitFor();

  await page.locator('#worklog-new').click();
  await fillLog(page, {
    kind: 'technical_support', task: '市政务云平台安全巡检', description: '漏洞扫描与基线核查',
    start: `${month}-05T09:00`, end: `${month}-05T17:00`, people: 3,
  });
  await page.locator('#work-total[data-minutes="1440"]').waitFor(); // 8 h x 3
  await page.locator('#worklog-new').click();
  await fillLog(page, {
    kind: 'incident_response', task: '某医院勒索软件事件远程处置',
    start: `${month}-12T09:00`, end: `${month}-12T15:00`, people: 2,
  });
  await page.locator('#work-total[data-minutes="2160"]').waitFor(); // + 6 h x 2
  assert.equal(await page.locator('#worklog-table .worklog-row').count(), 2);

  // A correction: three people were there, not two.
  const second = page.locator('#worklog-table .worklog-row', { hasText: '勒索软件' });
  await second.locator('.worklog-edit').click();
  assert.equal(await page.locator('#wl-people').inputValue(), '2');
  await fillLog(page, { people: 3 });
  await page.locator('#work-total[data-minutes="2520"]').waitFor(); // 24 + 18 = 42 h
  assert.equal(await text(page.locator('#work-total')), '42 人时');
  assert.equal(await text(second.locator('.worklog-hours')), '18');
  assert.equal(await page.locator('#work-kind-technical_support').getAttribute('data-minutes'), '1440');
  assert.equal(await page.locator('#work-kind-incident_response').getAttribute('data-minutes'), '1080');
  assert.equal(await page.locator('#work-support').getAttribute('data-minutes'), '2520');
  // An entry made by mistake, and deleted.
  await page.locator('#worklog-new').click();
  await fillLog(page, { kind: 'other', task: '误填', start: `${month}-20T09:00`, end: `${month}-20T10:00`, people: 1 });
  await page.locator('#work-total[data-minutes="2580"]').waitFor();
  await page.locator('#worklog-table .worklog-row', { hasText: '误填' }).locator('.worklog-delete').click();
  await page.locator('.modal-foot .btn-danger').click();
  await page.locator('#worklog-notice', { hasText: '已删除' }).waitFor();
  await page.locator('#work-total[data-minutes="2520"]').waitFor();
  assert.equal(await page.locator('#worklog-table .worklog-row').count(), 2);
  // The month's judgement next to the log: 42 h and one incident are enough; no roster.
  await page.locator('#work-judgement').waitFor();
  assert.deepEqual(await page.locator('#work-judgement .met-badge').evaluateAll((b) => b.map((x) => x.dataset.met)),
    ['true', 'true', 'false']);
  const logs = await client.api('GET', `/api/v1/work-logs?month=${month}`);
  assert.equal(logs.items.length, 2);
  assert.equal(logs.items.reduce((s, l) => s + l.minutes, 0), 2520, 'the server holds what the page shows');
  await page.screenshot({ path: `${SHOTS}/yj-worklog.png`, fullPage: true });
  await logout(page);

  // --- the authority sends a drill to the unit -----------------------------------------
  await login(page, srv.url, ADMIN_USER, ADMIN_PASSWORD);
  const navA = await page.locator('.sidenav a').evaluateAll((as) => as.map((a) => a.id));
  assert.deepEqual(navA.filter((id) => ['nav-worklog', 'nav-obligations', 'nav-drills'].includes(id)),
    ['nav-obligations', 'nav-drills', 'nav-worklog'], 'the authority\'s work entries in its order');
  await page.locator('#nav-drills').click();
  await page.waitForURL(/#\/drills$/);
  await page.locator('#drills-table').waitFor();
  await page.locator('#drill-new').click();
  await page.locator('#drill-title').fill('2 季度 7×24 值班联络演练');
  await page.locator('#drill-message').fill('这是演练通知，收到后请立即点击“确认收到”。');
  await page.locator('#drill-to-chosen').check();
  await page.locator(`#drill-unit-${unit.id}`).check();
  await page.locator('#drill-send').click();
  await page.waitForURL(/#\/drills\/\d+$/);
  const drillId = Number(/#\/drills\/(\d+)$/.exec(page.url())[1]);
  await page.locator(`#drill-target-${unit.id}[data-acked="false"]`).waitFor();
  assert.equal(await page.locator('#drill-targets tbody tr').count(), 1, 'only the chosen unit was alerted');
  assert.equal(await page.locator(`#drill-target-${other.id}`).count(), 0);
  await logout(page);

  // --- 3 min 20 s later the unit acknowledges ------------------------------------------
  await srv.setClock(srv.now() + 200e3);
  await login(page, srv.url, USER, PASSWORD);
  await page.locator('#nav-drills').click();
  await page.locator(`#drill-pending-${drillId}`).waitFor();
  assert.match(await text(page.locator(`#drill-pending-${drillId}`)), /值班联络演练/);
  await page.locator(`#drill-ack-${drillId}`).click();
  await page.locator('#drill-notice', { hasText: '已确认收到' }).waitFor();
  await page.locator('#drills-none-pending').waitFor();
  assert.match(await text(page.locator(`#drill-row-${drillId} .drill-acked-at`)), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await page.screenshot({ path: `${SHOTS}/yj-drill-unit.png`, fullPage: true });
  await logout(page);

  // --- the authority sees the acknowledgement ------------------------------------------
  await login(page, srv.url, ADMIN_USER, ADMIN_PASSWORD);
  await page.locator('#nav-drills').click();
  await page.locator(`#drill-row-${drillId}`, { hasText: '1 / 1' }).waitFor();
  await page.locator(`#drill-row-${drillId} a`).click();
  const row = page.locator(`#drill-target-${unit.id}[data-acked="true"]`);
  await row.waitFor();
  const drill = await srv.api('GET', `/api/v1/drills/${drillId}`);
  const target = drill.targets.find((x) => x.unit_id === unit.id);
  assert.equal(target.ack_ms, 200e3);
  assert.equal(await text(row.locator('.target-ack-ms')), '3 分 20 秒');
  assert.match(await text(row.locator('.target-acked-at')), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  assert.equal(target.dispatch_ack_median_ms, 90e3);
  assert.equal(await text(row.locator('.target-median')), '1 分 30 秒 依据 1 次派遣', 'next to the real dispatch answer');
  assert.match(await text(page.locator('#drill-acked-count')), /1 \/ 1/);
  await page.screenshot({ path: `${SHOTS}/yj-drill-authority.png`, fullPage: true });

  // --- the obligations of last month ------------------------------------------------------
  await page.locator('#nav-obligations').click();
  await page.waitForURL(/#\/obligations/);
  await page.locator('#obligations-month').fill(month);
  const mine = page.locator(`#oblig-row-${unit.id}`);
  await page.waitForURL(new RegExp(`month=${month}`));
  await mine.locator('.oblig-hours', { hasText: '42' }).waitFor();
  assert.equal(await text(mine.locator('.oblig-incidents')), '1');
  const marks = async (r) => Promise.all(['incidents', 'hours', 'contact'].map(async (k) => {
    const b = r.locator(`.oblig-${k}-met .met-badge`);
    return `${await b.getAttribute('data-met')}:${await b.getAttribute('class')}:${await text(b)}`;
  }));
  assert.deepEqual(await marks(mine), [
    'true:badge met-badge badge-ok:✓ 达标',
    'true:badge met-badge badge-ok:✓ 达标',
    'false:badge met-badge badge-error:✗ 未达标', // no 7×24 roster at all
  ]);
  assert.equal(await text(mine.locator('.oblig-coverage')), '0%');
  const theirs = page.locator(`#oblig-row-${other.id}`);
  assert.equal(await text(theirs.locator('.oblig-hours')), '0');
  assert.deepEqual((await marks(theirs)).map((m) => m.split(':')[0]), ['false', 'false', 'false']);
  await page.screenshot({ path: `${SHOTS}/yj-obligations.png`, fullPage: true });

  // The unit's 12 months: the same month with the numbers behind it, and the average.
  await mine.locator('.oblig-unit').click();
  await page.waitForURL(new RegExp(`#/obligations/${unit.id}`));
  const m = page.locator(`#oblig-month-${month}`);
  await m.waitFor();
  assert.equal(await text(m.locator('.oblig-hours')), '42');
  assert.equal(await text(m.locator('.oblig-incidents')), '1');
  assert.deepEqual((await marks(m)).map((x) => x.split(':')[0]), ['true', 'true', 'false']);
  assert.match(await text(m.locator('.oblig-contact-met')), /缺口/, 'the roster gap is listed');
  assert.equal(await page.locator('#obligations-months tbody tr').count(), 12);
  // The average is over the 11 months that are over (the running one does not count yet).
  assert.match(await text(page.locator('#obligations-average')), /月均/);
  assert.equal(await text(page.locator('#avg-months')), '按 11 个已结束的月份');
  assert.equal(await text(page.locator('#avg-hours')), '3.82', '42 h over 11 months');
  assert.equal(await page.locator('#avg-hours-met').getAttribute('data-met'), 'false');
  assert.equal(await page.locator('#avg-contact-met').getAttribute('data-met'), 'false');
  await page.screenshot({ path: `${SHOTS}/yj-obligations-unit.png`, fullPage: true });

  // The same in English.
  await page.locator('#lang-en').click();
  await page.locator('#obligations-average', { hasText: 'Monthly average' }).waitFor();
  assert.match(await text(m.locator('.oblig-hours-met')), /Met/);
  await page.locator('#lang-zh').click();

  await assertClean(page, watch);
  await page.close();
});

// incident-dispatch.test.mjs - incidents and dispatch in headless Chromium, on the
// server's test clock. The authority reports an incident through the form, grades it
// with the helper's proposal, and dispatches a unit from the suggestions. The unit
// user, in a second browser, sees the notice under the bell and the dispatch in its
// inbox, accepts it, starts the plan and marks itself on site (naming who is there).
// The authority's incident page shows those steps on the timeline and the dispatch's
// state. A second unit is dispatched and never answers: the clock is moved past the
// 2-hour commitment (in steps under the 30-minute session idle time, both pages
// asking the server at each) and the board shows that dispatch breached in red; the
// authority re-dispatches it to a third unit. No fixed sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { createUnitWithUser, samplePdfPath } from './lib/selection.mjs';
import { loginPage, until, MIN } from './lib/incidents.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const TITLE = '六盘水市某三甲医院信息系统遭勒索软件攻击';

let srv;
let authority;
let unitBrowser;

before(async () => {
  srv = await startServer({ clock: true });
  authority = await launchBrowser();
  unitBrowser = await launchBrowser();
  await authority.context.addInitScript(CSP_RECORDER);
  await unitBrowser.context.addInitScript(CSP_RECORDER);
});

after(async () => {
  if (authority) await authority.close();
  if (unitBrowser) await unitBrowser.close();
  if (srv) await srv.stop();
});

// Routes that arrive with the evidence and upward-reporting work; until then the
// panels fall back on what the incident carries (a 404 is expected, not required).
function laterRoutes(id) {
  return [
    { status: 404, method: 'GET', path: `/api/v1/incidents/${id}/evidence` },
    { status: 404, method: 'GET', path: `/api/v1/incidents/${id}/reporting` },
    { status: 404, method: 'GET', path: '/api/v1/reference/report-forms' },
  ];
}

// Whether the server offers a route yet (the evidence and reporting work lands apart).
async function offered(path) {
  try {
    await srv.full('GET', path);
    return true;
  } catch (e) {
    if (/ -> 404 /.test(e.message)) return false;
    throw e;
  }
}

// Resolves when page has had an answer from the API path.
function answered(page, path) {
  return page.waitForResponse((r) => new URL(r.url()).pathname === path);
}

test('report, grade, dispatch; the unit accepts and is on site; a breach shows red and is re-dispatched', async () => {
  const t0 = srv.now();
  const a = await createUnitWithUser(srv, { name: '贵州黔安网络安全技术有限公司', body17: '91520200MA6D0000A', username: 'unit_a', password: 'unit-password-a1' });
  const b = await createUnitWithUser(srv, { name: '贵阳筑城数据安全科技有限公司', body17: '91520100MA6H0002C', username: 'unit_b', password: 'unit-password-b1' });
  const c = await createUnitWithUser(srv, { name: '遵义黔北信息安全服务有限公司', body17: '91520300MA6K0003D', username: 'unit_c', password: 'unit-password-c1' });

  const page = await authority.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }, ...laterRoutes(1)]);
  await loginPage(page, srv.url);

  // The board, empty; then the report form.
  await page.locator('#nav-incidents').click();
  await page.waitForURL(/#\/incidents$/);
  await page.locator('#board-open[data-count="0"]').waitFor();
  await page.locator('#report-incident').click();
  await page.waitForURL(/#\/incidents\/new$/);
  await page.locator('#f-title').fill(TITLE);
  await page.locator('#f-class_code').selectOption('MAL');
  await page.locator('#f-subclass_code').selectOption('MAL.07');
  await page.locator('#f-source').selectOption('monitoring_alert');
  await page.locator('#f-affected_org').fill('六盘水市某三甲医院');
  await page.locator('#f-affected_system').fill('医院信息系统 HIS');
  await page.locator('#f-operator_type-other').check();
  await page.locator('#f-province').selectOption('贵州省');
  await page.locator('#f-city').fill('六盘水市');
  await page.locator('#f-description').fill('HIS 服务器文件被加密，勒索信要求支付比特币。');
  await page.locator('#add-indicators').click();
  await page.locator('#f-indicators-0-type').selectOption('ipv4');
  await page.locator('#f-indicators-0-value').fill('203.0.113.7');
  await page.locator('#f-has_ransom').check();
  await page.locator('#f-ransom-amount').fill('2');
  await page.locator('#f-ransom-currency').fill('BTC');
  await page.locator('#save-incident').click();
  await page.waitForURL(/#\/incidents\/\d+$/);
  const id = Number(/#\/incidents\/(\d+)$/.exec(page.url())[1]);
  assert.equal(id, 1);
  await page.locator('#incident-status[data-code="reported"]').waitFor();
  const created = await srv.api('GET', `/api/v1/incidents/${id}`);
  assert.equal(created.subclass_code, 'MAL.07');
  assert.deepEqual(created.indicators, [{ type: 'ipv4', value: '203.0.113.7' }]);
  assert.deepEqual(created.ransom, { amount: '2', currency: 'BTC' });
  assert.equal(created.operator_type, 'other');

  // Grading: the helper's proposal shows while the facts are typed; confirm it.
  await page.locator('#grade-importance').selectOption('important');
  await page.locator('#grade-loss').selectOption('larger');
  await page.locator('#grade-personal_records').fill('12000000');
  await page.locator('#grading-proposal[data-level="major"]').waitFor();
  assert.match(await page.locator('#proposal-reason').textContent(), /1200 万条/);
  await page.locator('#grade-confirm').click();
  await page.locator('#incident-level-badge[data-level="major"]').waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-incident-graded.png`, fullPage: true });

  // Dispatch unit A from the suggestions.
  await page.locator('#tab-dispatches').click();
  await page.locator(`#suggest-pick-${a.unit.id}`).check();
  await page.locator('#dispatch-instructions').fill('立即开展现场处置，隔离受感染主机。');
  await page.locator('#dispatch-send').click();
  await page.locator('#incident-dispatches .dispatch-card[data-status="notified"]').waitFor();
  await page.locator('#incident-status[data-code="dispatched"]').waitFor();
  const [da] = (await srv.api('GET', `/api/v1/dispatches?unit_id=${a.unit.id}`)).items;
  assert.equal(da.incident_id, id);
  await page.locator(`#d${da.id}-ack[data-state="running"]`).waitFor();
  await page.locator(`#d${da.id}-commit[data-state="running"]`).waitFor();

  // The unit: the notice under the bell, the dispatch in its inbox; accept, plan, on site.
  const upage = await unitBrowser.context.newPage();
  const uwatch = watchPage(upage, [{ status: 401, method: 'GET', path: '/api/v1/session' }, ...laterRoutes(id)]);
  await loginPage(upage, srv.url, 'unit_a', 'unit-password-a1');
  await upage.locator('#notif-count').waitFor();
  await upage.locator('#notif-bell').click();
  await upage.locator('#notif-menu .notif.unread[data-event="dispatch.notified"]', { hasText: TITLE }).waitFor();
  await upage.keyboard.press('Escape');
  await upage.locator('#nav-dispatches').click();
  await upage.waitForURL(/#\/dispatches$/);
  const card = upage.locator(`#inbox-live #dispatch-${da.id}`);
  await card.waitFor();
  assert.match(await card.textContent(), /隔离受感染主机/);
  await card.locator(`#act-accept-${da.id}`).click();
  await upage.locator(`#dispatch-${da.id}[data-status="accepted"]`).waitFor();
  await upage.locator(`#d${da.id}-ack[data-state="met"]`).waitFor();
  await upage.locator(`#act-plan_started-${da.id}`).click();
  await upage.locator(`#dispatch-${da.id}[data-status="working"] [data-milestone="plan_started_at"]`).waitFor();
  await upage.locator(`#act-on_site-${da.id}`).click();
  await upage.locator('#action-confirm').click(); // nobody named: refused in the dialog
  await upage.locator('.field-error[data-error-for="action-people"]').waitFor();
  await upage.locator('#action-people').fill('赵六、钱七');
  await upage.locator('#action-confirm').click();
  await upage.locator(`#dispatch-${da.id} [data-milestone="on_site_at"]`, { hasText: '赵六、钱七' }).waitFor();
  await upage.locator(`#d${da.id}-commit[data-state="met"]`).waitFor();
  await upage.screenshot({ path: `${SHOTS}/yj-unit-inbox.png`, fullPage: true });

  // The unit's view of the incident: its own part only, no reporting or links.
  await upage.locator(`#dispatch-${da.id} a.unit-link`).click();
  await upage.waitForURL(new RegExp(`#/dispatches/${da.id}$`));
  await upage.locator('#timeline-table tr[data-kind="dispatch.on_site"]').waitFor();
  await upage.locator('#dispatch-incident', { hasText: '六盘水市某三甲医院' }).waitFor();
  const evidence = await offered(`/api/v1/incidents/${id}/evidence`);
  if (evidence) {
    // The unit adds evidence: the chain of custody shows its hash and verifies.
    await upage.locator('#evidence-note').fill('现场勒索信截图');
    await upage.locator('#evidence-file').setInputFiles(samplePdfPath());
    const row = upage.locator('#evidence-table tr[data-seq="1"]', { hasText: 'sample.pdf' });
    await row.waitFor();
    assert.match(await row.textContent(), /现场勒索信截图/);
    await upage.locator('#evidence-chain[data-chain="ok"]').waitFor();
  }

  // The authority's incident page: the timeline and the dispatch's state.
  await page.reload();
  await page.locator(`#dispatch-status-${da.id}[data-code="working"]`).waitFor();
  await page.locator('#incident-status[data-code="in_progress"]').waitFor();
  await page.locator('#tab-timeline').click();
  for (const kind of ['reported', 'graded', 'dispatched', 'dispatch.accept', 'dispatch.plan_started']) {
    await page.locator(`#timeline-table tr[data-kind="${kind}"]`).waitFor();
  }
  const onSite = page.locator('#timeline-table tr[data-kind="dispatch.on_site"]');
  assert.match(await onSite.textContent(), /unit_a/);
  assert.match(await onSite.textContent(), /赵六、钱七/);
  assert.match(await onSite.textContent(), /贵州黔安网络安全技术有限公司/);
  await page.screenshot({ path: `${SHOTS}/yj-incident-timeline.png`, fullPage: true });
  // The evidence and upward-reporting tabs load (or fall back) without errors.
  await page.locator('#tab-evidence').click();
  await page.locator('#evidence-table').waitFor();
  if (evidence) {
    await page.locator('#evidence-table tr[data-seq="1"]', { hasText: 'unit_a' }).waitFor();
    await page.locator('#evidence-chain[data-chain="ok"]').waitFor();
  }
  await page.locator('#tab-reporting').click();
  await page.locator('#reporting-obligations tr[data-kind="first"]').waitFor();
  if (await offered(`/api/v1/incidents/${id}/reporting`)) {
    // Upward reporting: the first report goes with its first two items only.
    await page.locator('#reporting-obligations tr[data-kind="first"][data-status="pending"] .clock[data-state="running"]').waitFor();
    await page.locator('#report-new-first').click();
    await page.locator('#report-item-unit_system').fill('六盘水市某三甲医院，医院信息系统 HIS');
    await page.locator('#report-item-discovery').fill('监测发现 HIS 服务器文件被加密，勒索 2 BTC；已断网隔离。');
    await page.locator('#report-send').click();
    await page.locator('#reporting-obligations tr[data-kind="first"][data-status="sent_on_time"]').waitFor();
    const sent = page.locator('#reports-table tr[data-kind="first"][data-sent="true"]');
    await sent.waitFor();
    const rid = Number(await sent.getAttribute('data-report-id'));
    await page.locator(`#report-pdf-${rid}`).waitFor();
    const pdf = await srv.full('GET', `/api/v1/reports/${rid}/export?format=pdf`);
    assert.match(pdf.data, /^%PDF-/);
    // 重大: the pass-on to the office above is now due.
    await page.locator('#reporting-obligations tr[data-kind="pass_on"][data-status="pending"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/yj-incident-reporting.png`, fullPage: true });
  }

  // A second unit, which never answers.
  await page.locator('#tab-dispatches').click();
  await page.locator(`#suggest-pick-${b.unit.id}`).check();
  await page.locator('#dispatch-send').click();
  const [db] = await until(async () => {
    const { items } = await srv.api('GET', `/api/v1/dispatches?unit_id=${b.unit.id}`);
    return items.length ? items : null;
  }, 'the second dispatch');
  await page.locator(`#dispatch-${db.id}[data-status="notified"]`).waitFor();

  // The board counts it and shows both clocks running.
  await page.locator('#nav-incidents').click();
  await page.locator('#board-level-major[data-count="1"]').waitFor();
  await page.locator('#board-matrix tr[data-level="major"] td[data-status="in_progress"][data-count="1"]').waitFor();
  await page.locator(`#board-clocks tr[data-dispatch-id="${db.id}"][data-breached="false"]`).waitFor();
  await page.locator(`#board-${db.id}-commit[data-state="running"]`).waitFor();

  // Past the 2-hour commitment, 25 minutes at a time.
  await upage.locator('#nav-dispatches').click();
  for (let step = 1; step <= 5; step++) {
    await srv.setClock(t0 + step * 25 * MIN);
    // Each page's request must reach the server before the clock moves on again.
    await Promise.all([answered(page, '/api/v1/incidents/board'), page.locator('#board-refresh').click()]);
    await Promise.all([answered(upage, '/api/v1/dispatches'), upage.locator('#inbox-refresh').click()]);
    await page.locator(`#board-clocks tr[data-dispatch-id="${db.id}"]`).waitFor();
    if (step === 1) {
      // 25 minutes on: the 15-minute answer is missed, the 2 hours still run.
      await page.locator(`#board-${db.id}-ack[data-state="breached"]`).waitFor();
      await page.locator(`#board-${db.id}-commit:is([data-state="running"], [data-state="warn"])`).waitFor();
    }
  }
  const breached = await until(async () => {
    const d = await srv.api('GET', `/api/v1/dispatches/${db.id}`);
    return d.commit_breached_at && d.ack_breached_at ? d : null;
  }, 'the breach to be recorded');
  assert.ok(breached.commit_breached_at);
  const kept = await srv.api('GET', `/api/v1/dispatches/${da.id}`);
  assert.equal(kept.commit_breached_at, null, 'unit A kept its commitment');
  await page.locator('#board-refresh').click();
  const row = page.locator(`#board-clocks tr[data-dispatch-id="${db.id}"][data-breached="true"]`);
  await row.waitFor();
  assert.match(await row.getAttribute('class'), /row-breach/);
  const commitClock = page.locator(`#board-${db.id}-commit[data-state="breached"]`);
  await commitClock.waitFor();
  assert.equal(await commitClock.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(198, 40, 40)', 'breached in red');
  await page.locator(`#board-${da.id}-commit[data-state="met"]`).waitFor();
  await page.locator('#board-breached-count[data-count="1"]').waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-incident-board.png`, fullPage: true });

  // The incident page offers re-dispatch; hand the job to unit C.
  await page.locator(`#board-clocks tr[data-dispatch-id="${db.id}"] a.unit-link`).click();
  await page.locator('#tab-dispatches').click();
  await page.locator(`#redispatch-offer-${db.id}`).waitFor();
  await page.locator(`#redispatch-${db.id}`).click();
  await page.locator(`#redispatch-unit option[value="${c.unit.id}"]`).waitFor({ state: 'attached' });
  await page.locator('#redispatch-unit').selectOption(String(c.unit.id));
  await page.locator('#redispatch-reason').fill('超过 2 小时未响应，改派其他单位。');
  await page.locator('#redispatch-confirm').click();
  await page.locator(`#dispatch-status-${db.id}[data-code="withdrawn"]`).waitFor();
  const [dc] = (await srv.api('GET', `/api/v1/dispatches?unit_id=${c.unit.id}`)).items;
  assert.equal(dc.replaces, db.id);
  await page.locator(`#dispatch-${dc.id}[data-status="notified"]`).waitFor();
  await page.locator('#tab-timeline').click();
  // Each missed deadline is its own entry, by the system, against unit B.
  await page.locator('#timeline-table tr[data-kind="dispatch.breach"]', { hasText: '未在时限内确认接单' }).waitFor();
  const commitBreach = page.locator('#timeline-table tr[data-kind="dispatch.breach"]', { hasText: '未在 2 小时内启动应急预案并到达现场' });
  assert.match(await commitBreach.textContent(), /贵阳筑城数据安全科技有限公司/);
  await page.locator('#timeline-table tr[data-kind="redispatched"]').waitFor();

  // The English locale.
  await page.locator('#nav-incidents').click();
  await page.locator('#lang-en').click();
  await page.locator('#board-clocks-panel h3', { hasText: 'Dispatch clocks' }).waitFor();
  await page.locator('#lang-zh').click();
  await page.locator('#board-clocks-panel h3', { hasText: '派单时钟' }).waitFor();

  await assertClean(page, watch);
  await assertClean(upage, uwatch);
});

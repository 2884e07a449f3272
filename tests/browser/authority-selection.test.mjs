// authority-selection.test.mjs - the authority runs a selection in headless
// Chromium, on the server's test clock: creates the campaign through the form
// (a field error from the server next to its field first), opens it, is refused
// the move to review before the deadline with the reason shown, moves on after
// it, returns an application for correction and records its paper copy, forms
// an expert panel, is refused closing it while a sheet is missing, closes it,
// makes the proposed list, sets the notice period, records and rejects an
// objection, publishes, and suspends then revokes a certificate (which bans the
// unit). The units, the reviewer and the expert act through the API. No sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ADMIN_USER, ADMIN_PASSWORD } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { createUnitWithUser, contentRest, uploadRequired, submit, samplePdf } from './lib/selection.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const MIN = 60e3;
const NAME = '第二届六盘水市网络安全应急技术支撑队伍遴选';
const UNIT = '贵州黔安网络安全技术有限公司';

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

// Epoch ms -> {date: "YYYY-MM-DD", time: "HH:MM"} in UTC+8.
function cst(ms) {
  const iso = new Date(ms + 8 * 3600e3).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

test('the authority runs a selection from the campaign form to a revoked certificate', async () => {
  const t0 = srv.now();
  const page = await browser.context.newPage();
  const watch = watchPage(page, [
    { status: 401, method: 'GET', path: '/api/v1/session' },
    { status: 400, method: 'POST', path: '/api/v1/campaigns' }, // the certificate number pattern
    { status: 409, method: 'POST', path: '/api/v1/campaigns/1/stage' }, // review before the deadline
    { status: 409, method: 'POST', path: '/api/v1/panels/1/close' }, // a sheet is missing
  ]);
  await page.goto(`${srv.url}/`);
  await page.locator('#login-username').fill(ADMIN_USER);
  await page.locator('#login-password').fill(ADMIN_PASSWORD);
  await page.locator('#login-submit').click();
  await page.waitForURL(/#\/units$/);

  // The campaign form: a pattern without a sequence is refused next to its field.
  await page.locator('#nav-campaigns').click();
  await page.locator('#new-campaign').click();
  await page.locator('#f-name').fill(NAME);
  await page.locator('#f-term_no').fill('2');
  await page.locator('#f-title').fill('六盘水市网络安全应急技术支撑单位');
  await page.locator('#f-province').selectOption('贵州省');
  await page.locator('#f-city').fill('六盘水市');
  await page.locator('#f-authorities-0-name').fill('中共六盘水市委网络安全和信息化委员会办公室');
  await page.locator('#add-authorities').click();
  await page.locator('#f-authorities-1-name').fill('六盘水市公安局');
  const deadline = cst(t0 + 10 * MIN);
  await page.locator('#f-deadline_at').fill(deadline.date);
  await page.locator('#f-deadline_at-time').fill(deadline.time);
  await page.locator('#f-places').fill('3');
  await page.locator('#f-cert_number_pattern').fill('LPS-YJ-{YYYY}');
  await page.locator('#save-campaign').click();
  const patternError = page.locator('.field', { has: page.locator('#f-cert_number_pattern') }).locator('.field-error');
  await patternError.waitFor();
  assert.match(await patternError.textContent(), /序号/);
  await page.locator('#f-cert_number_pattern').fill('LPS-YJ-{YYYY}-{NNN}');
  await page.locator('#save-campaign').click();
  await page.waitForURL(/#\/campaigns\/\d+$/);
  const cid = Number(/#\/campaigns\/(\d+)$/.exec(page.url())[1]);
  await page.locator('#campaign-stage[data-code="draft"]').waitFor();
  const created = await srv.api('GET', `/api/v1/campaigns/${cid}`);
  assert.equal(Date.parse(created.deadline_at), Date.parse(`${deadline.date}T${deadline.time}:00+08:00`), 'the deadline is read in UTC+8');
  assert.deepEqual(created.authorities, ['中共六盘水市委网络安全和信息化委员会办公室', '六盘水市公安局']);

  // Open it.
  await page.locator('#stage-next').click();
  await page.locator('#stage-confirm').click();
  await page.locator('#campaign-stage[data-code="open"]').waitFor();

  // Two units: one submits, one keeps a draft (through the API).
  const year = new Date(t0).getUTCFullYear() - 1;
  const a = await createUnitWithUser(srv, { name: UNIT, body17: '91520200MA6D0000A', username: 'unit_a', password: 'unit-password-a1' });
  const b = await createUnitWithUser(srv, { name: '贵阳筑城数据安全科技有限公司', body17: '91520100MA6H0002C', username: 'unit_b', password: 'unit-password-b1' });
  let r = await a.client.full('POST', `/api/v1/campaigns/${cid}/applications`);
  const appId = r.data.id;
  await a.client.api('PATCH', `/api/v1/applications/${appId}/content`, contentRest(year), { 'If-Match': r.etag });
  await uploadRequired(a.client, appId, await samplePdf());
  await submit(a.client, appId);
  await b.client.api('POST', `/api/v1/campaigns/${cid}/applications`);

  // Review before the deadline: refused, with the reason.
  await page.locator('#stage-next').click();
  await page.locator('#stage-confirm').click();
  await page.locator('#stage-error', { hasText: '申报截止时间未到' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-stage-refused.png` });
  await page.keyboard.press('Escape');
  await srv.setClock(t0 + 15 * MIN);
  await page.locator('#stage-next').click();
  await page.locator('#stage-confirm').click();
  await page.locator('#campaign-stage[data-code="review"]').waitFor();
  await page.locator('#count-submitted[data-count="1"]').waitFor();
  await page.locator('#count-draft[data-count="1"]').waitFor();
  await page.locator('#count-eligible[data-count="1"]').waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-campaign-board.png`, fullPage: true });

  // The application: eligibility criterion by criterion; return it for correction.
  await page.locator('#count-submitted').click();
  await page.locator(`#applications-table tr[data-application-id="${appId}"] a.unit-link`).click();
  await page.waitForURL(new RegExp(`#/applications/${appId}$`));
  await page.locator('#tab-eligibility').click();
  await page.locator('#checks-table tr[data-check="registered_capital"]', { hasText: '5,000,000' }).waitFor();
  await page.locator('#action-return').click();
  await page.locator('#f-reason').fill('请补充近三年财务审计报告关键页。');
  await page.locator('#action-confirm').click();
  await page.locator('#application-status-badge[data-code="returned"]').waitFor();
  // The unit corrects and submits again (during review), then the paper copy is recorded.
  await submit(a.client, appId);
  await page.reload();
  await page.locator('#application-status-badge[data-code="submitted"]').waitFor();
  await page.locator('#tab-versions').click();
  await page.locator('#versions-table tr[data-version="1"]', { hasText: '请补充近三年财务审计报告关键页' }).waitFor();
  await page.locator('#versions-table tr[data-version="2"] .sha').waitFor();
  await page.locator('#action-paper').click();
  await page.locator('#matches-true').check();
  await page.locator('#action-confirm').click();
  await page.locator('#action-done').waitFor();
  await page.locator('#tab-review').click();
  await page.locator('#review-facts', { hasText: '与电子版一致' }).waitFor();

  // The background review (the reviewer, through the API) and an expert panel.
  await srv.api('POST', '/api/v1/users', { username: 'police1', display_name: '审查员', role: 'security_reviewer', password: 'police-password-1' });
  await srv.as('police1', 'police-password-1').api('POST', `/api/v1/applications/${appId}/security-review`, { result: 'pass' });
  const expert = await srv.api('POST', '/api/v1/users', { username: 'expert1', display_name: '王专家', role: 'expert', password: 'expert-password-1' });
  await page.goto(`${srv.url}/#/campaigns/${cid}?tab=panels`);
  await page.locator('#new-panel').click();
  await page.locator('#f-panel-name').fill('第一评审组');
  await page.locator(`#panel-experts input[value="${expert.id}"]`).check();
  await page.locator(`#panel-applications input[value="${appId}"]`).check();
  await page.locator('#panel-save').click();
  const card = page.locator('.panel-card', { hasText: '第一评审组' });
  await card.waitFor();
  const panelId = Number(await card.getAttribute('data-panel-id'));
  await page.locator(`#close-panel-${panelId}`).click();
  await page.locator('.modal-foot .btn-danger').click();
  await page.locator('.modal .alert-error', { hasText: '还有 1 份评分表尚未提交' }).waitFor();
  await page.keyboard.press('Escape');
  const sheet = { scores: ['basic', 'staffing', 'systems', 'technical_capability', 'past_support'].map((c, i) => ({ criterion: c, points: [18, 17, 16, 26, 8][i] })), submit: true };
  await srv.as('expert1', 'expert-password-1').api('PUT', `/api/v1/applications/${appId}/scores/mine`, sheet);
  await page.locator(`#close-panel-${panelId}`).click();
  await page.locator('.modal-foot .btn-danger').click();
  await card.locator('[data-code="closed"]').waitFor();

  // The ranking and the proposed list.
  await page.locator('#tab-ranking').click();
  await page.locator(`#ranking-table tr[data-application-id="${appId}"]`, { hasText: '85.00' }).waitFor();
  await page.locator('#make-proposal').click();
  await page.locator('.modal-foot .btn-primary').click();
  await page.locator('#proposal-done').waitFor();
  await page.locator(`#ranking-table tr[data-application-id="${appId}"] [data-code="proposed"]`).waitFor();

  // The notice period, then the notice; an objection recorded and rejected.
  await page.locator('#tab-notice').click();
  const ns = cst(t0 + 20 * MIN);
  const ne = cst(t0 + 25 * MIN);
  await page.locator('#f-notice_starts_at').fill(ns.date);
  await page.locator('#f-notice_starts_at-time').fill(ns.time);
  await page.locator('#f-notice_ends_at').fill(ne.date);
  await page.locator('#f-notice_ends_at-time').fill(ne.time);
  await page.locator('#save-notice').click();
  await page.locator('#notice-period .alert-ok').waitFor();
  await page.locator('#stage-next').click();
  await page.locator('#stage-confirm').click();
  await page.locator('#campaign-stage[data-code="notice"]').waitFor();
  await page.locator('#new-objection').click();
  await page.locator('#f-application_id').selectOption(String(appId));
  await page.locator('#f-complainant').fill('某网络科技公司');
  await page.locator('#f-content').fill('该单位省内持证技术人员数量与实际不符。');
  await page.locator('#objection-save').click();
  const objection = page.locator('#objections-table tr[data-objection-id]');
  await objection.locator('[data-code="received"]').waitFor();
  await objection.locator('button').click();
  await page.locator('#decision-rejected').check();
  await page.locator('#f-findings').fill('经核查社保缴纳记录，技术人员数量属实，异议不成立。');
  await page.locator('#decision-save').click();
  await objection.locator('[data-code="rejected"]').waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-campaign-notice.png`, fullPage: true });

  // Publication after the notice: a certificate for the selected unit.
  await srv.setClock(t0 + 26 * MIN);
  await page.locator('#stage-next').click();
  await page.locator('#stage-confirm').click();
  await page.locator('#campaign-stage[data-code="published"]').waitFor();
  await page.locator('#tab-exports').click();
  assert.equal(await page.locator('#dl-list-pdf').getAttribute('href'), `/api/v1/campaigns/${cid}/published-list.pdf`);
  const summary = await page.request.get(`${srv.url}/api/v1/campaigns/${cid}/summary.csv`);
  assert.equal(summary.status(), 200);

  // The certificate: suspended, then revoked for misusing the authority's name (a ban).
  await page.locator('#nav-certificates').click();
  await page.locator('#certificates-table a.unit-link').first().click();
  await page.locator('#certificate-status[data-code="valid"]').waitFor();
  await page.locator('#cert-suspended').click();
  await page.locator('#f-reason').fill('配合案件调查期间暂停');
  await page.locator('#status-confirm').click();
  await page.locator('#certificate-status[data-code="suspended"]').waitFor();
  await page.locator('#cert-revoked').click();
  await page.locator('#f-cause').selectOption('misuse_of_name');
  await page.locator('#f-reason').fill('借用主管部门名义承揽商业项目');
  await page.locator('#status-confirm').click();
  await page.locator('#certificate-status[data-code="revoked"]').waitFor();
  await page.locator('#ban-notice').waitFor();
  assert.equal(await page.locator('#cert-history tbody tr').count(), 3);
  await page.screenshot({ path: `${SHOTS}/yj-certificate.png`, fullPage: true });

  // The unit's record shows the ban.
  await page.locator('#certificate-page .info-grid a', { hasText: UNIT }).click();
  await page.locator('#tab-record').click();
  await page.locator('#bans-table', { hasText: '借用主管部门名义开展商业活动' }).waitFor();

  await assertClean(page, watch);
  await page.close();
});

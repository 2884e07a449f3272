// unit-application.test.mjs - a unit fills in and submits its application in
// headless Chromium. The campaign, the unit, its user and most of the content
// are set up through the API; in the browser the unit user opens the
// application, sees an autosave ("已保存"), a field error from the server next
// to its field, a 412 (changed elsewhere) with the offer to reload, uploads the
// required attachments through the file inputs (a real PDF), sees the
// checklist complete, submits, sees the frozen version's SHA-256 and prints the
// cover page. No sleeps: every wait is on a locator, a URL or the DOM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { createCampaign, moveStage, createUnitWithUser, startApplication, samplePdf, REQUIRED_FILES } from './lib/selection.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const UNIT = '贵州黔安网络安全技术有限公司';
const USER = 'unit_qianan';
const PASSWORD = 'unit-password-456';

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


test('a unit uploads its attachments, submits, and gets the SHA-256 for the paper copy', async () => {
  const year = new Date().getUTCFullYear();
  const campaign = await createCampaign(srv, { deadlineMs: Date.now() + 7 * 24 * 3600e3 });
  await moveStage(srv, campaign.id, 'open');
  const { client } = await createUnitWithUser(srv, { name: UNIT, body17: '91520200MA6D0000A', username: USER, password: PASSWORD });
  const started = await startApplication(client, campaign.id, year - 1);
  const appId = started.data.id;
  const pdf = await samplePdf();

  const page = await browser.context.newPage();
  const watch = watchPage(page, [
    { status: 401, method: 'GET', path: '/api/v1/session' }, // page load before logging in
    { status: 400, method: 'PATCH', path: `/api/v1/applications/${appId}/content` }, // the bad e-mail
    { status: 412, method: 'PATCH', path: `/api/v1/applications/${appId}/content` }, // changed elsewhere
  ]);
  await page.goto(`${srv.url}/`);
  await page.locator('#login-username').fill(USER);
  await page.locator('#login-password').fill(PASSWORD);
  await page.locator('#login-submit').click();
  await page.locator('#unit-name', { hasText: UNIT }).waitFor();

  // The unit's campaigns: continue the application started through the API.
  await page.locator('#nav-campaigns').click();
  await page.waitForURL(/#\/campaigns$/);
  await page.locator(`#open-application-${campaign.id}`).click();
  await page.waitForURL(new RegExp(`#/applications/${appId}$`));
  await page.locator('#application-editor').waitFor();
  assert.equal(await page.locator('#checklist').getAttribute('data-complete'), 'false', 'no attachments yet');

  // Autosave: a change is saved a moment later with If-Match, and the state says so.
  await page.locator('#sec-support_plan').click();
  const plan = '组建 12 人应急支撑队伍，接到通知后 2 小时内到达现场。';
  await page.locator('#f-support_plan').fill(plan);
  await page.locator('#save-state[data-state="saved"]', { hasText: '已保存' }).waitFor();
  let detail = await client.api('GET', `/api/v1/applications/${appId}`);
  assert.equal(detail.content.support_plan, plan, 'the autosave reached the server');

  // A value the server refuses: its message appears next to the field.
  await page.locator('#sec-profile').click();
  await page.locator('#f-profile-contacts-0-email').fill('lisi-at-example');
  const emailError = page.locator('.field', { has: page.locator('#f-profile-contacts-0-email') }).locator('.field-error');
  await emailError.waitFor();
  assert.match(await emailError.textContent(), /电子邮箱/);
  assert.equal(await page.locator('#save-state').getAttribute('data-state'), 'error');
  await page.locator('#f-profile-contacts-0-email').fill('lisi@example.cn');
  await emailError.waitFor({ state: 'detached' });
  await page.locator('#save-state[data-state="saved"]').waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-app-editor.png` });

  // Changed elsewhere (another window): the next save gets 412 and the page offers to reload.
  const now = await client.full('GET', `/api/v1/applications/${appId}`);
  await client.api('PATCH', `/api/v1/applications/${appId}/content`, { other_work: '另一窗口填写的内容' }, { 'If-Match': now.etag });
  await page.locator('#sec-cooperation').click();
  await page.locator('#f-cooperation').fill('与省内高校共建网络安全实验室。');
  await page.locator('#save-state[data-state="stale"]').waitFor();
  await page.locator('#reload-application').click();
  await page.locator('#sec-other_work').click();
  await page.waitForFunction(() => document.querySelector('#f-other_work')?.value === '另一窗口填写的内容');
  await page.locator('#save-state[data-state="saved"]').waitFor();

  // The attachments, through the file inputs, by kind.
  await page.locator('#sec-attachments').click();
  await page.locator('#attachments').waitFor();
  for (const [kind, count, filename] of REQUIRED_FILES) {
    const files = [];
    for (let i = 0; i < count; i++) {
      files.push({ name: count > 1 ? filename.replace('.pdf', `（${i + 1}）.pdf`) : filename, mimeType: 'application/pdf', buffer: pdf });
    }
    await page.locator(`#upload-${kind}`).setInputFiles(files);
    await page.locator(`#attach-${kind}[data-count="${count}"]`).waitFor();
  }
  // Listed with download links to their content.
  const first = page.locator('#attach-commitment_letter .attach-name');
  assert.equal(await first.textContent(), '承诺书（签章）.pdf');
  assert.match(await first.getAttribute('href'), /^\/api\/v1\/attachments\/\d+\/content$/);
  const download = await page.request.get(`${srv.url}${await first.getAttribute('href')}`);
  assert.equal(download.status(), 200);
  assert.deepEqual(Buffer.from(await download.body()), pdf, 'the download is the uploaded file');

  // The checklist is complete.
  await page.locator('#checklist[data-complete="true"]').waitFor();
  assert.match(await page.locator('#checklist-summary').textContent(), /材料齐全/);
  await page.screenshot({ path: `${SHOTS}/yj-app-attachments.png`, fullPage: true });

  // Submit: the version is frozen and its SHA-256 shown for the paper copy.
  await page.locator('#submit-application').click();
  await page.locator('#submit-confirm').click();
  const sha = page.locator('#submitted-sha256');
  await sha.waitFor();
  detail = await client.api('GET', `/api/v1/applications/${appId}`);
  assert.equal(detail.status, 'submitted');
  const frozen = detail.versions.find((v) => v.version_no === detail.submitted_version);
  assert.match(frozen.sha256, /^[0-9a-f]{64}$/);
  assert.equal((await sha.textContent()).trim(), frozen.sha256);
  assert.equal(await page.locator('#application-status-badge').getAttribute('data-code'), 'submitted');
  assert.equal(await page.locator('#application-editor').count(), 0, 'no longer editable');
  await page.screenshot({ path: `${SHOTS}/yj-app-submitted.png` });

  // The printable cover page carries the unit, the version, the time and the hash.
  await page.locator('#print-cover').click();
  await page.waitForURL(new RegExp(`#/applications/${appId}/cover$`));
  await page.locator('#cover-sheet').waitFor();
  assert.equal((await page.locator('#cover-sha256').textContent()).replace(/\s+/g, ''), frozen.sha256);
  assert.equal(await page.locator('#cover-unit').textContent(), UNIT);
  assert.match(await page.locator('#cover-version').textContent(), new RegExp(`第 ${frozen.version_no} 版`));
  assert.match(await page.locator('#cover-time').textContent(), /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.sidenav').isVisible(), false, 'printing leaves only the cover');
  assert.equal(await page.locator('.cover-tools').isVisible(), false);
  assert.equal(await page.locator('#cover-sheet').isVisible(), true);
  await page.screenshot({ path: `${SHOTS}/yj-app-cover-print.png`, fullPage: true });
  await page.emulateMedia({ media: 'screen' });

  await assertClean(page, watch);
  await page.close();
});

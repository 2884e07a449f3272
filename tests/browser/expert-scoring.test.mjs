// expert-scoring.test.mjs - an expert scores an application in headless
// Chromium. Through the API (on the server's test clock, moved past the
// deadline): a campaign in review with a submitted application on a panel the
// expert sits on. In the browser the expert finds it under 我的评审, reads the
// application (read-only), fills in the score sheet per rubric criterion with
// comments, is stopped by a score above the criterion's maximum, saves a draft,
// submits, and sees the sheet final; other experts' scores appear only once
// the panel has closed. No sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import {
  createCampaign, moveStage, createUnitWithUser, startApplication, uploadRequired, submit, samplePdf,
} from './lib/selection.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const UNIT = '六盘水凉都信息安全服务有限公司';
const EXPERT = 'expert_wang';
const EXPERT_PASSWORD = 'expert-password-789';
const HOUR = 3600e3;
const POINTS = { basic: '18', staffing: '17', systems: '16', technical_capability: '26', past_support: '8' };

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


test('an expert scores an assigned application and submits the sheet', async () => {
  // A campaign whose deadline passes on the server's clock.
  const t0 = srv.now();
  const campaign = await createCampaign(srv, { deadlineMs: t0 + HOUR });
  await moveStage(srv, campaign.id, 'open');
  const { client } = await createUnitWithUser(srv, { name: UNIT, body17: '91520200MA6D0001B', username: 'unit_liangdu', password: 'unit-password-456' });
  const app = (await startApplication(client, campaign.id, new Date(t0).getUTCFullYear() - 1)).data;
  await uploadRequired(client, app.id, await samplePdf());
  await submit(client, app.id);
  await srv.setClock(t0 + 2 * HOUR);
  await moveStage(srv, campaign.id, 'review');
  const expert = await srv.api('POST', '/api/v1/users', {
    username: EXPERT, display_name: '王专家', role: 'expert', password: EXPERT_PASSWORD,
  });
  const panel = await srv.api('POST', `/api/v1/campaigns/${campaign.id}/panels`, {
    name: '第一评审组', experts: [expert.id], applications: [app.id],
  });

  const page = await browser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await page.goto(`${srv.url}/`);
  await page.locator('#login-username').fill(EXPERT);
  await page.locator('#login-password').fill(EXPERT_PASSWORD);
  await page.locator('#login-submit').click();

  // 我的评审: the panel and the application, not yet scored.
  await page.waitForURL(/#\/reviews$/);
  const row = page.locator(`#reviews-page tr[data-application-id="${app.id}"]`);
  await row.locator('[data-sheet="none"]').waitFor();
  assert.match(await row.textContent(), new RegExp(UNIT));
  assert.equal(await page.locator('#nav-users').count(), 0, 'no user management for an expert');
  assert.equal(await page.locator('#nav-campaigns').count(), 0, 'no campaign management for an expert');
  assert.equal(await page.locator(`#dl-my-sheet-${panel.id}`).getAttribute('href'), `/api/v1/panels/${panel.id}/scoresheet.xlsx`);
  await page.screenshot({ path: `${SHOTS}/yj-expert-reviews.png` });

  // The application, read-only: its content and attachments, no editor, no actions.
  await page.locator(`#open-${app.id}`).click();
  await page.waitForURL(new RegExp(`#/applications/${app.id}$`));
  await page.locator('#content-view').waitFor();
  assert.match(await page.locator('#view-sec-profile').textContent(), new RegExp(UNIT));
  assert.equal(await page.locator('#application-editor').count(), 0);
  assert.equal(await page.locator('#action-return').count(), 0);
  assert.equal(await page.locator('#tab-allscores').count(), 0, 'other experts\' scores are sealed while the panel is open');
  await page.locator('#tab-attachments').click();
  await page.locator('#attach-risk_assessment_report[data-count="3"]').waitFor();
  assert.equal(await page.locator('#attachments input[type="file"]').count(), 0, 'no uploads for an expert');

  // The score sheet: one row per criterion, bounded by its maximum.
  await page.locator('#go-score').click();
  await page.locator('#score-sheet[data-final="false"]').waitFor();
  assert.equal(await page.locator('#score-basic').getAttribute('max'), '20');
  assert.equal(await page.locator('#score-technical_capability').getAttribute('max'), '30');
  for (const [code, points] of Object.entries(POINTS)) {
    await page.locator(`#score-${code}`).fill(points);
    await page.locator(`#comment-${code}`).fill(`${code} 评语：材料完整，情况属实。`);
  }
  await page.locator('#score-total', { hasText: '85' }).waitFor();

  // Above a criterion's maximum: stopped next to that score, nothing sent.
  await page.locator('#score-basic').fill('25');
  await page.locator('#score-save').click();
  const basicRow = page.locator('#score-table tr[data-criterion="basic"]');
  await basicRow.locator('.field-error', { hasText: '0–20' }).waitFor();
  await page.locator('#score-basic').fill(POINTS.basic);
  await basicRow.locator('.field-error').waitFor({ state: 'detached' });

  // Save a draft, then submit it as final.
  await page.locator('#score-save').click();
  await page.locator('#sheet-saved').waitFor();
  let sheets = await srv.api('GET', `/api/v1/applications/${app.id}/scores`);
  assert.equal(sheets.sheets[0].total, 85);
  assert.equal(sheets.sheets[0].submitted_at, null, 'a draft so far');
  await page.screenshot({ path: `${SHOTS}/yj-expert-sheet.png`, fullPage: true });

  await page.locator('#score-submit').click();
  await page.locator('#score-submit-confirm').click();
  await page.locator('#score-sheet[data-final="true"] #sheet-final').waitFor();
  assert.equal(await page.locator('#score-basic').isDisabled(), true, 'a final sheet cannot change');
  assert.equal(await page.locator('#score-submit').count(), 0);
  sheets = await srv.api('GET', `/api/v1/applications/${app.id}/scores`);
  assert.notEqual(sheets.sheets[0].submitted_at, null);
  assert.deepEqual(sheets.sheets[0].scores.map((s) => [s.criterion, String(s.points)]), Object.entries(POINTS));
  assert.match(sheets.sheets[0].scores[0].comment, /材料完整/);
  await page.screenshot({ path: `${SHOTS}/yj-expert-final.png`, fullPage: true });

  // The expert's own score sheet downloads as XLSX.
  const xlsx = await page.request.get(`${srv.url}/api/v1/panels/${panel.id}/scoresheet.xlsx`);
  assert.equal(xlsx.status(), 200);
  assert.match(xlsx.headers()['content-type'], /spreadsheetml/);

  // Back in the list the sheet is final; once the panel closes, every expert's scores show.
  await page.locator('.crumbs a', { hasText: '我的评审' }).click();
  await row.locator('[data-sheet="final"]').waitFor();
  await srv.api('POST', `/api/v1/panels/${panel.id}/close`, {});
  await page.goto(`${srv.url}/#/applications/${app.id}?tab=allscores`);
  await page.locator('#aggregate-score', { hasText: '85.00' }).waitFor();
  assert.match(await page.locator('#sheets-table').textContent(), /王专家/);

  await assertClean(page, watch);
  await page.close();
});

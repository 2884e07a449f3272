// threat-report.test.mjs - threat reports and disposal notices in headless Chromium.
// (1) A unit user files a botnet report through the form: two five-tuples, a C&C
// address, a malicious range; the disposal suggestion comes pre-filled by the
// category; it submits. The authority finds it in the review queue and returns it with a
// comment; the unit reads the comment, adds a sample hash and an evidence file and
// submits again; the authority accepts it. The report's indicators show in the
// indicator store, the lookup box finds the range by an address inside it and the C&C
// address by its value, and the year's count of accepted reports shows the unit. (2) On that accepted
// report the authority sees the owner of the C&C address (a constituent made through
// the API), sends the disposal notice, finds it in the notice list and records it
// handled with the owner's feedback; it makes an incident of the report; the filing
// unit sees the notice on its report. (3) A mobile-malware report's app rows: a port and
// a signing-certificate hash the server refuses are named under their rows' boxes; a package
// with its certificate's fingerprint (as keytool prints it) and a package alone are
// stored as `app` indicators and, once accepted, are in the indicator store.
// No fixed sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { createUnitWithUser, samplePdfPath } from './lib/selection.mjs';
import { loginPage } from './lib/incidents.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const TITLE = '辖区内 Mirai 变种僵尸网络活动';
const C2 = '203.0.113.9';
const RANGE = '198.51.100.0/24';
const OWNER = '某云计算有限公司';
const SAMPLE = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

let srv;
let unitBrowser;
let authBrowser;
let reportId;

// A time some hours ago as a datetime-local value in UTC+8 (the form's zone).
function cstInput(hoursAgo) {
  const d = new Date(Date.now() - hoursAgo * 3600e3 + 8 * 3600e3);
  return d.toISOString().slice(0, 16);
}

before(async () => {
  srv = await startServer();
  unitBrowser = await launchBrowser();
  authBrowser = await launchBrowser();
  await unitBrowser.context.addInitScript(CSP_RECORDER);
  await authBrowser.context.addInitScript(CSP_RECORDER);
  await createUnitWithUser(srv, { name: '贵州黔安网络安全技术有限公司', body17: '91520200MA6D0000A', username: 'unit_a', password: 'unit-password-a1' });
  // The owner of the C&C address, with an abuse contact (the range stays unowned).
  await srv.api('POST', '/api/v1/constituents', {
    name: OWNER, kind: 'platform', province: '贵州省', ranges: ['203.0.113.0/24'],
    contacts: [{ role: 'abuse', name: '值班', email: 'abuse@cloud.example.cn' }],
  });
});

after(async () => {
  if (unitBrowser) await unitBrowser.close();
  if (authBrowser) await authBrowser.close();
  if (srv) await srv.stop();
});

test('a unit files a threat report; returned, completed and accepted; its indicators are in the store and found by lookup', async () => {
  const page = await unitBrowser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await loginPage(page, srv.url, 'unit_a', 'unit-password-a1');
  await page.locator('#nav-threats').click();
  await page.waitForURL(/#\/threats$/);
  await page.locator('#threats-table').waitFor();
  await page.locator('#threat-new').click();
  await page.waitForURL(/#\/threats\/new$/);

  await page.locator('#f-title').fill(TITLE);
  await page.locator('#f-category').selectOption('botnet');
  // The category's suggestion is filled in: block the C&C IP and its domain.
  assert.equal(await page.locator('#f-disposal-measure').inputValue(), 'block_resource');
  assert.ok(await page.locator('#f-disposal-block-ip').isChecked());
  assert.ok(await page.locator('#f-disposal-block-domain_resolution').isChecked());
  assert.match(await page.locator('#f-disposal-text').inputValue(), /封堵控制端IP地址/);
  await page.locator('#f-summary').fill('监测发现辖区内 23 台物联网设备连接境外控制端。');
  await page.locator('#f-propagation_path').fill('弱口令爆破 Telnet 后下载执行样本');
  await page.locator('#f-affected').fill('某运营商宽带用户 23 户');
  for (const [i, src, sport] of [[0, '10.20.30.40', '49152'], [1, '10.20.30.41', '49153']]) {
    await page.locator('#add-tuples').click();
    await page.locator(`#f-tuples-${i}-src_ip`).fill(src);
    await page.locator(`#f-tuples-${i}-src_port`).fill(sport);
    await page.locator(`#f-tuples-${i}-dst_ip`).fill(C2);
    await page.locator(`#f-tuples-${i}-dst_port`).fill('8443');
    await page.locator(`#f-tuples-${i}-protocol`).selectOption('tcp');
    await page.locator(`#f-tuples-${i}-first_seen`).fill(cstInput(48));
    await page.locator(`#f-tuples-${i}-last_seen`).fill(cstInput(2));
    await page.locator(`#f-tuples-${i}-count`).fill(String(30 + i));
  }
  await page.locator('#add-c2').click();
  await page.locator('#f-c2-0-value').fill(C2); // type detected
  await page.locator('#add-indicators').click();
  await page.locator('#f-indicators-0-type').selectOption('cidr4');
  await page.locator('#f-indicators-0-value').fill(RANGE);
  await page.locator('#f-indicators-0-role').selectOption('malicious');
  await page.locator('#threat-submit').click();
  await page.waitForURL(/#\/threats\/\d+$/);
  reportId = Number(/#\/threats\/(\d+)$/.exec(page.url())[1]);
  await page.locator('#threat-status[data-code="submitted"]').waitFor();
  assert.equal(await page.locator('#threat-tuples tbody tr').count(), 2);
  await page.locator('#threat-indicators tr[data-role="c2"]', { hasText: C2 }).waitFor();
  const filed = await srv.api('GET', `/api/v1/threat-reports/${reportId}`);
  assert.equal(filed.status, 'submitted');
  assert.equal(filed.five_tuples.length, 2);
  assert.equal(filed.five_tuples[1].count, 31);
  assert.deepEqual(filed.indicators.map((x) => [x.type, x.value, x.role]),
    [['ipv4', C2, 'c2'], ['cidr4', RANGE, 'malicious']]);
  assert.deepEqual(filed.disposal.blocks.slice().sort(), ['domain_resolution', 'ip']);
  await page.screenshot({ path: `${SHOTS}/yj-threat-submitted.png`, fullPage: true });

  // The authority: the review queue, the report; returned for the sample's hash.
  const apage = await authBrowser.context.newPage();
  const awatch = watchPage(apage, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await loginPage(apage, srv.url);
  await apage.locator('#nav-threats').click();
  const row = apage.locator(`#threat-queue-table tr[data-report-id="${reportId}"]`);
  await row.waitFor();
  await row.locator('a.unit-link').click();
  await apage.waitForURL(new RegExp(`#/threats/${reportId}$`));
  const review = async (decision, comment) => {
    await apage.locator('#threat-review').click();
    await apage.locator(`#review-decision-${decision}`).check();
    if (comment) await apage.locator('#review-comment').fill(comment);
    await apage.locator('#review-confirm').click();
  };
  await review('return', '请补充样本哈希和抓包文件');
  await apage.locator('#threat-status[data-code="returned"]').waitFor();

  // The unit sees the comment, adds the hash and a file, and submits again.
  await page.reload();
  await page.locator('#threat-review-comment', { hasText: '请补充样本哈希' }).waitFor();
  await page.locator('#threat-edit').click();
  await page.waitForURL(new RegExp(`#/threats/${reportId}/edit$`));
  await page.locator('#threat-return-comment', { hasText: '请补充样本哈希' }).waitFor();
  assert.equal(await page.locator('#f-c2-0-value').inputValue(), C2);
  await page.locator('#add-samples').click();
  await page.locator('#f-samples-0-value').fill(SAMPLE.toUpperCase());
  await page.locator('#threat-files').setInputFiles(samplePdfPath());
  await page.locator('#threat-pending-files', { hasText: 'sample.pdf' }).waitFor();
  await page.locator('#threat-submit').click();
  await page.waitForURL(new RegExp(`#/threats/${reportId}$`));
  await page.locator('#threat-status[data-code="submitted"]').waitFor();
  await page.locator('#threat-files tr[data-seq="1"]', { hasText: 'sample.pdf' }).waitFor();
  await page.locator('#threat-indicators tr[data-role="sample"]', { hasText: SAMPLE }).waitFor();
  await assertClean(page, watch);

  // Accepted the second time; the year's count shows it.
  await apage.reload();
  await review('accept');
  await apage.locator('#threat-status[data-code="accepted"]').waitFor();
  await apage.locator('#threat-reviews tr[data-decision="accept"]').waitFor();
  await apage.locator('#threat-reviews tr[data-decision="return"]').waitFor();

  // Its indicators in the store, then the lookup box.
  await apage.locator('#threat-in-store').click();
  await apage.waitForURL(new RegExp(`#/indicators\\?report_id=${reportId}$`));
  await apage.locator(`#indicators-table tr[data-value="${C2}"]`).waitFor();
  await apage.locator(`#indicators-table tr[data-value="${RANGE}"]`).waitFor();
  await apage.locator('#lookup-value').fill('198.51.100.77');
  await apage.locator('#lookup-go').click();
  await apage.locator('#lookup-results tr[data-match="range"]', { hasText: RANGE }).waitFor();
  await apage.locator('#lookup-value').fill(C2);
  await apage.locator('#lookup-go').click();
  await apage.locator('#lookup-results tr[data-match="exact"]', { hasText: C2 }).waitFor();
  await apage.screenshot({ path: `${SHOTS}/yj-intel-lookup.png`, fullPage: true });
  // The indicator's own page names the report as a source.
  await apage.locator('#lookup-results tr[data-match="exact"] a').click();
  await apage.locator('#indicator-sources tr', { hasText: `report:${reportId}` }).waitFor();
  await apage.locator(`#indicator-reports a[href="#/threats/${reportId}"]`).waitFor();
  // The year's accepted reports per unit.
  await apage.goto(`${srv.url}/#/threats?tab=stats`);
  await apage.locator('#threat-stats-table tr', { hasText: '贵州黔安网络安全技术有限公司' }).locator('[data-accepted="1"]').waitFor();
  await assertClean(apage, awatch);
});

test('the authority sends the disposal notice to the owner, records it handled and makes an incident', async () => {
  assert.ok(reportId, 'the first test filed the report');
  const apage = await authBrowser.context.newPage();
  const awatch = watchPage(apage, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await apage.goto(`${srv.url}/#/threats/${reportId}`);
  const plan = apage.locator('#disposal-plan-table tr', { hasText: OWNER });
  await plan.waitFor();
  assert.match(await plan.textContent(), new RegExp(C2.replace(/\./g, '\\.')));
  assert.match(await plan.textContent(), /abuse@cloud\.example\.cn/);
  await apage.locator('#disposal-unowned', { hasText: RANGE }).waitFor();
  await apage.locator('#disposal-hours').fill('48');
  await apage.locator('#disposal-send').click();
  await apage.locator('#disposal-result').waitFor();
  await apage.locator('#disposal-plan-table [data-notified="true"]').waitFor();
  await apage.locator('#report-notices-table tr', { hasText: OWNER }).waitFor();
  const [notice] = (await srv.api('GET', `/api/v1/disposals?threat_report_id=${reportId}`)).items;
  assert.equal(notice.status, 'sent');
  const hours = (Date.parse(notice.deadline_at) - Date.parse(notice.sent_at)) / 3600e3;
  assert.ok(Math.abs(hours - 48) < 0.1, `deadline 48 h after sending, not ${hours}`);

  // The notice list shows it; the notice page records the handling.
  await apage.locator('#nav-disposals').click();
  await apage.waitForURL(/#\/disposals$/);
  const row = apage.locator(`#disposals-table tr[data-notice-id="${notice.id}"][data-status="sent"]`);
  await row.waitFor();
  await row.locator('a.unit-link').click();
  await apage.waitForURL(new RegExp(`#/disposals/${notice.id}$`));
  await apage.locator('#disposal-matched', { hasText: C2 }).waitFor();
  await apage.locator('#disposal-events-table tr[data-action="sent"]').waitFor();
  await apage.locator('#dispo-handled').click();
  await apage.locator('#dispo-action-confirm').click(); // no feedback: refused in the dialog
  await apage.locator('.field-error[data-error-for="dispo-action-text"]').waitFor();
  await apage.locator('#dispo-action-text').fill('已封堵控制端 IP，并清除 23 台受控主机上的恶意程序。');
  await apage.locator('#dispo-action-confirm').click();
  await apage.locator('#disposal-status[data-code="handled"]').waitFor();
  await apage.locator('#disposal-feedback', { hasText: '已封堵控制端' }).waitFor();
  await apage.locator('#disposal-events-table tr[data-action="handled"]').waitFor();
  await apage.screenshot({ path: `${SHOTS}/yj-disposal-handled.png`, fullPage: true });
  await apage.locator('#nav-disposals').click();
  await apage.locator(`#disposals-table tr[data-notice-id="${notice.id}"][data-status="handled"]`).waitFor();

  // The report becomes an incident.
  await apage.goto(`${srv.url}/#/threats/${reportId}`);
  await apage.locator('#threat-make-incident').click();
  await apage.locator('#incident-confirm').click();
  await apage.waitForURL(/#\/incidents\/\d+$/);
  await apage.locator('#incident-title', { hasText: TITLE }).waitFor();
  await apage.goBack();
  await apage.locator('#threat-incident-link').waitFor();
  assert.equal(await apage.locator('#threat-make-incident').count(), 0);
  await assertClean(apage, awatch);

  // The filing unit reads the notices of its report, without the owner's contacts.
  const upage = await unitBrowser.context.newPage();
  const uwatch = watchPage(upage);
  await upage.goto(`${srv.url}/#/threats/${reportId}`);
  await upage.locator(`#report-notices-table tr[data-notice-id="${notice.id}"]`, { hasText: OWNER }).locator('[data-code="handled"]').waitFor();
  await upage.locator(`#report-notices-table tr[data-notice-id="${notice.id}"] a`).click();
  await upage.locator('#disposal-status[data-code="handled"]').waitFor();
  assert.doesNotMatch(await upage.locator('#disposal-facts').innerText(), /abuse@cloud\.example\.cn/);
  assert.equal(await upage.locator('#dispo-handled').count(), 0);
  await assertClean(upage, uwatch);
});

test('a mobile-malware report: app rows become app indicators, in the store once accepted', async () => {
  const FAKE = 'com.example.fakebank';
  const STEALER = 'cn.example.sms.stealer';
  const fingerprint = SAMPLE.toUpperCase().match(/../g).join(':'); // 95 characters
  const page = await unitBrowser.context.newPage();
  const watch = watchPage(page, [{ status: 400, method: 'POST', path: '/api/v1/threat-reports' }]);
  await page.goto(`${srv.url}/#/threats/new`);
  await page.locator('#f-title').fill('仿冒某银行手机客户端的恶意应用');
  await page.locator('#f-category').selectOption('malware');
  await page.locator('#f-summary').fill('仿冒手机银行客户端，窃取用户短信验证码。');
  await page.locator('#f-propagation_path').fill('短信中的下载链接');
  await page.locator('#add-tuples').click();
  await page.locator('#f-tuples-0-src_ip').fill('10.8.0.23');
  await page.locator('#f-tuples-0-src_port').fill('50123');
  await page.locator('#f-tuples-0-dst_ip').fill('198.51.100.99');
  await page.locator('#f-tuples-0-dst_port').fill('70000');
  await page.locator('#f-tuples-0-protocol').selectOption('tcp');
  await page.locator('#add-c2').click();
  await page.locator('#f-c2-0-value').fill('198.51.100.99');
  await page.locator('#add-apps').click();
  await page.locator('#f-apps-0-package').fill(FAKE);
  await page.locator('#f-apps-0-cert').fill('AB:CD:EF');
  await page.locator('#add-apps').click();
  await page.locator('#f-apps-1-package').fill(STEALER);
  // The server refuses the port, then the certificate: each message is under its box.
  await page.locator('#threat-save').click();
  await page.locator('.field-error[data-error-for="f-tuples-0-dst_port"]').waitFor();
  await page.locator('#f-tuples-0-dst_port').fill('443');
  await page.locator('#threat-save').click();
  await page.locator('.field-error[data-error-for="f-apps-0-cert"]').waitFor();
  assert.equal(await page.locator('.field-error[data-error-for="f-apps-0-package"]').count(), 0);
  assert.match(page.url(), /#\/threats\/new$/);
  await page.locator('#f-apps-0-cert').fill(fingerprint);
  assert.equal(await page.locator('#f-apps-0-cert').inputValue(), fingerprint, 'the whole fingerprint fits');
  await page.locator('#threat-submit').click();
  await page.waitForURL(/#\/threats\/\d+$/);
  const id = Number(/#\/threats\/(\d+)$/.exec(page.url())[1]);
  await page.locator('#threat-status[data-code="submitted"]').waitFor();
  await page.locator('#threat-indicators tr[data-role="app"]', { hasText: `${FAKE} | ${SAMPLE}` }).waitFor();
  await page.locator('#threat-indicators tr[data-role="app"]', { hasText: STEALER }).waitFor();
  const filed = await srv.api('GET', `/api/v1/threat-reports/${id}`);
  assert.deepEqual(filed.indicators.map((x) => [x.type, x.value, x.role]),
    [['ipv4', '198.51.100.99', 'c2'], ['app', `${FAKE}|${SAMPLE}`, 'app'], ['app', STEALER, 'app']]);
  // The form shows them back as two rows.
  await page.goto(`${srv.url}/#/threats/${id}/edit`);
  assert.equal(await page.locator('#f-apps-0-package').inputValue(), FAKE);
  assert.equal(await page.locator('#f-apps-0-cert').inputValue(), SAMPLE);
  assert.equal(await page.locator('#f-apps-1-package').inputValue(), STEALER);
  assert.equal(await page.locator('#f-apps-1-cert').inputValue(), '');
  await assertClean(page, watch);

  // Accepted (through the API), they are in the store as apps of this report.
  const r = await srv.full('GET', `/api/v1/threat-reports/${id}`);
  await srv.api('POST', `/api/v1/threat-reports/${id}/review`, { decision: 'accept' }, { 'If-Match': r.etag });
  const apage = await authBrowser.context.newPage();
  const awatch = watchPage(apage);
  await apage.goto(`${srv.url}/#/indicators?type=app&report_id=${id}`);
  await apage.locator(`#indicators-table tr[data-value="${FAKE}|${SAMPLE}"]`).waitFor();
  await apage.locator(`#indicators-table tr[data-value="${STEALER}"]`).waitFor();
  assert.equal(await apage.locator('#indicators-table tbody tr').count(), 2);
  assert.equal(await apage.locator('#intel-filter-type').inputValue(), 'app');
  await assertClean(apage, awatch);
});

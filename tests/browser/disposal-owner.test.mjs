// disposal-owner.test.mjs - the owner's page of a disposal notice in headless Chromium.
// The authority files and accepts a botnet report whose C&C address a platform owns, and
// sends the notice (through the API). The owner opens the link (taken from the notice's
// webhook request, as an SMS gateway would pass it on; the outbox shows links without
// their tokens): the page shows the notice in Chinese with its values,
// five-tuple, measure and deadline; the owner confirms receipt, is stopped without
// feedback, then reports the result; the page and the authority's API agree. English on
// request. A link whose token is unknown says so. On a second notice's page in the app the
// authority records the owner's acknowledgement (given by phone) and sends the notice
// again: the webhook gets a new link, the old one is 404. No console errors, no CSP
// violations, no fixed sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer } from './lib/server.mjs';
import { launchBrowser, watchPage, assertClean, CSP_RECORDER } from './lib/browser.mjs';
import { loginPage } from './lib/incidents.mjs';

const SHOTS = process.env.YJ_SCREENSHOTS || '/tmp';
const OWNER = '某云计算有限公司';
const C2 = '203.0.113.9';
const OWNER2 = '某电信运营商贵州分公司';
const IP2 = '192.0.2.66';

let srv;
let browser;
let noticeId;
let notice2;
let token;
let hooks;
const hookDocs = [];
let hookArrived = () => {};

// The n-th webhook document about notice id (waits for its delivery).
async function hookFor(id, n = 1) {
  for (;;) {
    const doc = hookDocs.filter((d) => d.ref && d.ref.id === id)[n - 1];
    if (doc) return doc;
    await new Promise((resolve) => { hookArrived = resolve; });
  }
}

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
  await browser.context.addInitScript(CSP_RECORDER);
  hooks = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      hookDocs.push(JSON.parse(body));
      res.end('ok');
      hookArrived();
    });
  });
  await new Promise((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  await srv.api('POST', '/api/v1/webhooks', {
    name: '短信网关', url: `http://127.0.0.1:${hooks.address().port}/sms`, events: 'disposal.sent',
  });
  await srv.api('POST', '/api/v1/constituents', {
    name: OWNER, kind: 'platform', ranges: ['203.0.113.0/24'],
    contacts: [{ role: 'abuse', name: '安全应急响应中心', email: 'abuse@cloud.example.cn' }],
  });
  const report = await srv.api('POST', '/api/v1/threat-reports', {
    category: 'botnet', title: '辖区内 Mirai 变种僵尸网络活动', summary: '多台主机连接境外控制端。',
    propagation_path: '弱口令爆破后下载执行样本',
    five_tuples: [{ src_ip: '198.51.100.23', src_port: 49152, dst_ip: C2, dst_port: 8443, protocol: 'tcp', count: 37 }],
    indicators: [{ type: 'ipv4', value: C2, role: 'c2' }],
  });
  await srv.api('POST', `/api/v1/threat-reports/${report.id}/submit`, undefined, { 'If-Match': '"1"' });
  await srv.api('POST', `/api/v1/threat-reports/${report.id}/review`, { decision: 'accept' }, { 'If-Match': '"2"' });
  const sent = await srv.api('POST', `/api/v1/threat-reports/${report.id}/disposals`, { deadline_hours: 48 });
  noticeId = sent.items[0].id;
  const mail = await srv.api('GET', `/api/v1/outbox?ref_type=disposal&ref_id=${noticeId}&event=disposal.sent&limit=1`);
  const shown = await srv.api('GET', `/api/v1/outbox/${mail.items[0].id}`);
  assert.equal(shown.link, '/disposal.html#(hidden)');
  token = (await hookFor(noticeId)).link.split('#')[1];
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);

  // A second report and notice, to an operator, for the authority's steps in the app.
  await srv.api('POST', '/api/v1/constituents', {
    name: OWNER2, kind: 'operator', ranges: ['192.0.2.0/24'],
    contacts: [{ role: 'abuse', name: '网络安全部', email: 'abuse@operator.example.cn' }],
  });
  const r2 = await srv.api('POST', '/api/v1/threat-reports', {
    category: 'malicious_ip', title: '某恶意 IP 持续扫描辖区政务网站', summary: '对多个政务网站进行漏洞扫描。',
    propagation_path: '境外跳板主机',
    five_tuples: [{ src_ip: IP2, src_port: 51000, dst_ip: '198.51.100.80', dst_port: 443, protocol: 'tcp' }],
    indicators: [{ type: 'ipv4', value: IP2, role: 'malicious' }],
  });
  await srv.api('POST', `/api/v1/threat-reports/${r2.id}/submit`, undefined, { 'If-Match': '"1"' });
  await srv.api('POST', `/api/v1/threat-reports/${r2.id}/review`, { decision: 'accept' }, { 'If-Match': '"2"' });
  notice2 = (await srv.api('POST', `/api/v1/threat-reports/${r2.id}/disposals`, { deadline_hours: 24 })).items[0].id;
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (hooks) await new Promise((resolve) => hooks.close(resolve));
});

test('the owner opens the link, confirms receipt and reports the result', async () => {
  const page = await browser.context.newPage();
  const watch = watchPage(page);
  await page.goto(`${srv.url}/disposal.html#${token}`);
  const card = page.locator('#notice');
  await card.locator('.subject', { hasText: '【网络安全威胁处置通知】' }).waitFor();
  assert.match(await card.textContent(), new RegExp(OWNER));
  assert.match(await card.textContent(), /控制端/);
  assert.match(await card.textContent(), /封堵资源/);
  await card.locator('td.mono', { hasText: `${C2}:8443` }).waitFor();
  await card.locator('.badge.status-sent', { hasText: '待确认' }).waitFor();
  await card.locator('.remaining', { hasText: '剩余' }).waitFor();
  await card.locator('pre.original', { hasText: '处置时限' }).waitFor();

  await page.locator('#ack-name').fill('张工');
  await page.locator('#ack-submit').click();
  await card.locator('.badge.status-acknowledged').waitFor();
  await page.locator('#message.ok').waitFor();
  assert.ok(await page.locator('#ack-form').isHidden());

  // A result needs words.
  await page.locator('#feedback').fill('   ');
  await page.locator('#handled-submit').click();
  await page.locator('#message.warn', { hasText: '请填写处置结果' }).waitFor();

  await page.locator('#feedback').fill('已封堵控制端 IP，并清除 23 台受控主机上的恶意程序。');
  await page.locator('#handled-submit').click();
  await card.locator('.badge.status-handled', { hasText: '已处置' }).waitFor();
  assert.ok(await page.locator('#actions').isHidden());
  assert.match(await card.textContent(), /清除 23 台受控主机/);
  await card.locator('.history li', { hasText: '反馈处置结果' }).waitFor();
  await page.screenshot({ path: `${SHOTS}/yj-disposal-owner.png`, fullPage: true });

  const n = await srv.api('GET', `/api/v1/disposals/${noticeId}`);
  assert.equal(n.status, 'handled');
  assert.equal(n.acknowledged_by, '张工');
  assert.match(n.feedback, /清除 23 台受控主机/);

  await page.locator('#lang').click();
  await card.locator('.badge.status-handled', { hasText: 'Handled' }).waitFor();
  await page.locator('#lang').click();
  await assertClean(page, watch);
});

test('an unknown or incomplete link says so', async () => {
  const page = await browser.context.newPage();
  const bad = 'A'.repeat(43);
  const watch = watchPage(page, [{ status: 404, method: 'GET', path: `/public/disposals/${bad}` }]);
  await page.goto(`${srv.url}/disposal.html#${bad}`);
  await page.locator('#message.error', { hasText: '链接无效或已失效' }).waitFor();
  assert.ok(await page.locator('#notice').isHidden());
  await page.goto(`${srv.url}/disposal.html`);
  await page.locator('#message.error', { hasText: '链接不完整' }).waitFor();
  await assertClean(page, watch);
});

test('the authority records the acknowledgement on the notice page and sends it again with a new link', async () => {
  const first = (await hookFor(notice2)).link.split('#')[1];
  const page = await browser.context.newPage();
  const watch = watchPage(page, [{ status: 401, method: 'GET', path: '/api/v1/session' }]);
  await loginPage(page, srv.url);
  await page.goto(`${srv.url}/#/disposals/${notice2}`);
  await page.locator('#disposal-title', { hasText: OWNER2 }).waitFor();
  await page.locator('#disposal-status[data-code="sent"]').waitFor();
  await page.locator('#dispo-acknowledge').click();
  await page.locator('#dispo-action-text').fill('电话联系对方网络安全部，确认已收到通知。');
  await page.locator('#dispo-action-confirm').click();
  await page.locator('#disposal-status[data-code="acknowledged"]').waitFor();
  await page.locator('#disposal-events-table tr[data-action="acknowledged"]', { hasText: '电话联系' }).waitFor();
  assert.equal(await page.locator('#dispo-acknowledge').count(), 0);

  await page.locator('#dispo-resend').click();
  await page.locator('.modal', { hasText: '原链接随即失效' }).waitFor();
  await page.locator('#dispo-action-text').fill('对方邮箱故障，改发备用邮箱。');
  await page.locator('#dispo-action-confirm').click();
  await page.locator('#disposal-events-table tr[data-action="resent"]', { hasText: '备用邮箱' }).waitFor();
  await page.locator('#disposal-status[data-code="acknowledged"]').waitFor();
  await assertClean(page, watch);

  // The webhook gets the new link; the old one no longer opens the notice.
  const second = (await hookFor(notice2, 2)).link.split('#')[1];
  assert.match(second, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(second, first);
  assert.equal((await fetch(`${srv.url}/public/disposals/${first}`)).status, 404);
  const now = await fetch(`${srv.url}/public/disposals/${second}`);
  assert.equal(now.status, 200);
  assert.equal((await now.json()).status, 'acknowledged');
  const n = await srv.api('GET', `/api/v1/disposals/${notice2}`);
  assert.equal(n.status, 'acknowledged');
  assert.ok(n.acknowledged_at);
  assert.deepEqual(n.events.map((e) => e.action), ['sent', 'acknowledged', 'resent']);
});

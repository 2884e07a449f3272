// lib/work.mjs - helpers for the work-record browser test: logging in and out
// in one page, months in China Standard Time, and filling the work-log form.

// The month "YYYY-MM" (UTC+8) of an instant, moved by delta months.
export function cstMonth(ms, delta = 0) {
  const d = new Date(ms + 8 * 3600e3);
  const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + delta, 1));
  return m.toISOString().slice(0, 7);
}

// The start of the month (UTC+8) an instant falls in, as epoch ms.
export function cstMonthStart(ms) {
  const d = new Date(ms + 8 * 3600e3);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - 8 * 3600e3;
}

// Epoch ms as a datetime-local value in UTC+8: "YYYY-MM-DDTHH:MM".
export function cstLocal(ms) {
  return new Date(ms + 8 * 3600e3).toISOString().slice(0, 16);
}

// An incident, classified and graded 一般, dispatched to unitId through the API (as the authority,
// srv's client); answers the dispatch.
export async function dispatchTo(srv, unitId, title) {
  const inc = await srv.full('POST', '/api/v1/incidents', {
    title, affected_org: '六盘水市某医院', operator_type: 'other', source: 'monitoring_alert',
    class_code: 'MAL', subclass_code: 'MAL.07', // 恶意程序 / 勒索软件
    discovered_at: new Date(srv.now() - 10 * 60e3).toISOString(),
  });
  await srv.api('POST', `/api/v1/incidents/${inc.data.id}/grade`, { level: 'general', reason: '影响范围有限' },
    { 'If-Match': inc.etag });
  const sent = await srv.api('POST', `/api/v1/incidents/${inc.data.id}/dispatches`, { unit_ids: [unitId] });
  return sent.items[0];
}

// Logs in from the login page (the page may be anywhere; a session must not exist).
export async function login(page, url, username, password) {
  await page.goto(`${url}/`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-submit').click();
  await page.locator('#logout').waitFor();
}

export async function logout(page) {
  await page.locator('#logout').click();
  await page.locator('#login-username').waitFor();
}

// Fills the open work-log dialog and saves; f: {kind, dispatch, task, description, start, end, people}
// with start/end as datetime-local values ("YYYY-MM-DDTHH:MM", UTC+8).
export async function fillLog(page, f) {
  const form = page.locator('#worklog-form');
  await form.waitFor();
  if (f.kind) await page.locator('#wl-kind').selectOption(f.kind);
  if (f.dispatch) await page.locator('#wl-dispatch').selectOption(String(f.dispatch));
  if (f.task !== undefined) await page.locator('#wl-task').fill(f.task);
  if (f.description !== undefined) await page.locator('#wl-description').fill(f.description);
  if (f.start) await page.locator('#wl-started').fill(f.start);
  if (f.end) await page.locator('#wl-ended').fill(f.end);
  if (f.people !== undefined) await page.locator('#wl-people').fill(String(f.people));
  await page.locator('#wl-save').click();
  await form.waitFor({ state: 'detached' });
}

// lib/incidents.mjs - helpers for the incident and dispatch browser tests: logging a
// page in, and waiting for something the server's background loop does (a timer
// firing) by asking again, never by sleeping a fixed time.
import { ADMIN_USER, ADMIN_PASSWORD } from './server.mjs';

export const MIN = 60e3;

// Logs page in at url as username; waits until the login page is gone.
export async function loginPage(page, url, username = ADMIN_USER, password = ADMIN_PASSWORD) {
  await page.goto(`${url}/`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-submit').click();
  await page.waitForURL((u) => !/#\/login/.test(u.hash) && u.hash !== '');
}

// Resolves with fn()'s first truthy answer, asking again every 50 ms (at most
// timeoutMs in all): for state the server's background loop reaches on its own.
export async function until(fn, what, timeoutMs = 15000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

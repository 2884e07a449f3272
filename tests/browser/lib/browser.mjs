// lib/browser.mjs - headless Chromium for the browser tests, and a watcher that
// collects console errors, uncaught page errors and CSP violations.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// A fresh browser with its own profile directory; close() removes it.
export async function launchBrowser() {
  const profile = await mkdtemp(path.join(tmpdir(), 'yj-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    viewport: { width: 1400, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'UTC', // the UI must show UTC+8 whatever the browser's zone is
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// Records everything that would mean the page is broken. Chromium also logs a
// console error for every HTTP error status a fetch receives; those the test
// provokes on purpose are listed in `expectedHttp` as {status, method?, path}.
export function watchPage(page, expectedHttp = []) {
  const problems = [];
  const httpErrors = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (resp) => {
    if (resp.status() >= 400) {
      const u = new URL(resp.url());
      httpErrors.push({ status: resp.status(), method: resp.request().method(), path: u.pathname });
    }
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error' && msg.type() !== 'warning') return;
    const text = msg.text();
    const m = /^Failed to load resource: the server responded with a status of (\d+)/.exec(text);
    if (m && msg.type() === 'error') {
      const status = Number(m[1]);
      const url = msg.location().url;
      const p = url ? new URL(url).pathname : '';
      if (expectedHttp.some((e) => e.status === status && e.path === p)) return;
    }
    if (msg.type() === 'warning' && !/Content.Security.Policy|Refused/i.test(text)) return;
    problems.push(`console.${msg.type()}: ${text} (${msg.location().url || ''})`);
  });
  return {
    problems,
    httpErrors,
    // CSP violations the page itself saw (recorded by the init script below).
    async cspViolations() {
      return page.evaluate(() => window.__yjCsp || []);
    },
    // Every HTTP error must have been expected.
    unexpectedHttp() {
      return httpErrors.filter(
        (h) => !expectedHttp.some((e) => e.status === h.status && e.path === h.path && (!e.method || e.method === h.method)),
      );
    },
  };
}

// Installed before any page script runs: remembers every CSP violation event.
export const CSP_RECORDER = `
  window.__yjCsp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__yjCsp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
`;

// Fails the test if the page logged errors, broke the CSP or met an HTTP error
// status the test did not announce to watchPage.
export async function assertClean(page, watch) {
  assert.deepEqual(watch.problems, [], 'console errors or page errors');
  assert.deepEqual(await watch.cspViolations(), [], 'CSP violations');
  assert.deepEqual(watch.unexpectedHttp(), [], 'unexpected HTTP errors');
}

// lib/server.mjs - a throw-away yingji server for browser tests.
//
//   const srv = await startServer();   // temp data dir, init, serve on 127.0.0.1:0
//   srv.url                            // "http://127.0.0.1:PORT"
//   await srv.api('POST', '/api/v1/users', body)   // as admin, through a session
//   await srv.api('PATCH', '/api/v1/units/1', patch, { 'If-Match': '"1"' })
//   await srv.stop();                  // SIGTERM, wait, remove the data dir
//
// Needs YINGJI_BIN (the yingji binary) and YINGJI_WEB (the build's web folder).
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { once } from 'node:events';

const run = promisify(execFile);

export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = 'admin-password-123';

function requireEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} must be set (see tests/CMakeLists.txt)`);
  return v;
}

// Resolves with the URL once the server prints "listening on http://...", or
// rejects if it exits first. No sleeping: we read its stdout as it comes.
function waitForListening(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const onData = (chunk) => {
      out += chunk.toString('utf8');
      const m = /listening on (http:\/\/[^\s/]+)\/?/.exec(out);
      if (m) {
        cleanup();
        resolve(m[1]);
      }
    };
    const onErr = (chunk) => {
      err += chunk.toString('utf8');
      if (err.length > 20000) err = err.slice(-20000);
    };
    const onExit = (code, signal) => {
      cleanup();
      reject(new Error(`yingji serve exited (code ${code}, signal ${signal}) before listening:\n${out}\n${err}`));
    };
    const cleanup = () => {
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onErr);
    child.on('exit', onExit);
  });
}

export async function startServer() {
  const bin = requireEnv('YINGJI_BIN');
  const web = requireEnv('YINGJI_WEB');
  const dir = await mkdtemp(path.join(tmpdir(), 'yj-browser-'));
  const env = { ...process.env, YINGJI_ADMIN_PASSWORD: ADMIN_PASSWORD };
  let child;
  try {
    await run(bin, ['init', '--data', dir], { env });
    child = spawn(bin, ['serve', '--data', dir, '--listen', '127.0.0.1:0', '--web', web], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await waitForListening(child);
    // Keep draining the pipes so the server never blocks on a full pipe.
    child.stdout.resume();
    child.stderr.resume();
    return makeHandle(url, child, dir);
  } catch (e) {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

function makeHandle(url, child, dir) {
  let cookie = null;
  let csrf = null;

  // A JSON API call as the admin (logs in on first use); extra: more headers
  // such as If-Match.
  async function api(method, p, body, extra = {}) {
    if (!cookie) {
      const r = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }),
      });
      if (r.status !== 200) throw new Error(`admin login failed: ${r.status} ${await r.text()}`);
      cookie = r.headers.get('set-cookie').split(';')[0];
      csrf = (await r.json()).csrf_token;
    }
    const headers = { ...extra, Cookie: cookie };
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(`${url}${p}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    const data = text ? JSON.parse(text) : null;
    if (!r.ok) throw new Error(`${method} ${p} -> ${r.status} ${text}`);
    return data;
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      // A safety net only: a server that ignores SIGTERM must not hang the suite.
      const guard = setTimeout(() => child.kill('SIGKILL'), 15000);
      await exited;
      clearTimeout(guard);
    }
    await rm(dir, { recursive: true, force: true });
  }

  return { url, dir, api, stop, process: child };
}

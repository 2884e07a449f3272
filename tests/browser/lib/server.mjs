// lib/server.mjs - a throw-away yingji server for browser tests.
//
//   const srv = await startServer();   // temp data dir, init, serve on 127.0.0.1:0
//   srv.url                            // "http://127.0.0.1:PORT"
//   await srv.api('POST', '/api/v1/users', body)   // as admin, through a session
//   await srv.api('PATCH', '/api/v1/units/1', patch, { 'If-Match': '"1"' })
//   const unit = srv.as('unit_user', 'password');  // the same, as another user
//   await unit.api('POST', '/api/v1/campaigns/1/applications');
//   await unit.upload(appId, 'commitment_letter', '承诺书.pdf', bytes);
//   await srv.stop();                  // SIGTERM, wait, remove the data dir
//
// With startServer({ clock: true }) the server's "now" is read from a file
// (YINGJI_TEST_CLOCK_FILE, honoured by YJ_TESTING builds): srv.now() reads it,
// srv.setClock(ms) moves it. Sessions are judged by that clock too, so the
// clients here log in again when the server answers 401.
//
// Needs YINGJI_BIN (the yingji binary) and YINGJI_WEB (the build's web folder).
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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

// options: {clock: true} to run the server on the test clock (starting at the real now).
export async function startServer(options = {}) {
  const bin = requireEnv('YINGJI_BIN');
  const web = requireEnv('YINGJI_WEB');
  const dir = await mkdtemp(path.join(tmpdir(), 'yj-browser-'));
  const env = { ...process.env, YINGJI_ADMIN_PASSWORD: ADMIN_PASSWORD };
  let clockFile = null;
  const startClock = Date.now();
  if (options.clock) {
    clockFile = path.join(dir, 'clock');
    await writeFile(clockFile, `${startClock}\n`);
    env.YINGJI_TEST_CLOCK_FILE = clockFile;
  } else {
    delete env.YINGJI_TEST_CLOCK_FILE;
  }
  const data = path.join(dir, 'data');
  let child;
  try {
    await run(bin, ['init', '--data', data], { env });
    child = spawn(bin, ['serve', '--data', data, '--listen', '127.0.0.1:0', '--web', web], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await waitForListening(child);
    // Keep draining the pipes so the server never blocks on a full pipe.
    child.stdout.resume();
    child.stderr.resume();
    return makeHandle(url, child, dir, clockFile, startClock);
  } catch (e) {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

// An API client logged in as one user (lazily; again after a 401).
function makeClient(url, username, password) {
  let cookie = null;
  let csrf = null;

  async function login() {
    const r = await fetch(`${url}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (r.status !== 200) throw new Error(`login of ${username} failed: ${r.status} ${await r.text()}`);
    cookie = r.headers.get('set-cookie').split(';')[0];
    csrf = (await r.json()).csrf_token;
  }

  // One request; body: an object (sent as JSON) or a Buffer/Uint8Array (sent raw).
  async function send(method, p, body, extra) {
    if (!cookie) await login();
    const headers = { ...extra, Cookie: cookie };
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
    let payload;
    if (body instanceof Uint8Array) {
      headers['Content-Type'] = 'application/octet-stream';
      payload = body;
    } else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    return fetch(`${url}${p}`, { method, headers, body: payload });
  }

  // A JSON API call; extra: more headers such as If-Match. Throws on an error status.
  async function full(method, p, body, extra = {}) {
    let r = await send(method, p, body, extra);
    if (r.status === 401) {
      cookie = null;
      r = await send(method, p, body, extra);
    }
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${p} as ${username} -> ${r.status} ${text}`);
    const type = r.headers.get('content-type') || '';
    const data = text && type.startsWith('application/json') ? JSON.parse(text) : text;
    return { status: r.status, data, etag: r.headers.get('etag') };
  }

  async function api(method, p, body, extra = {}) {
    return (await full(method, p, body, extra)).data;
  }

  async function upload(applicationId, kind, filename, bytes) {
    const q = new URLSearchParams({ kind, filename }).toString().replace(/\+/g, '%20');
    return api('POST', `/api/v1/applications/${applicationId}/attachments?${q}`, new Uint8Array(bytes));
  }

  return { api, full, upload, username };
}

function makeHandle(url, child, dir, clockFile, startClock) {
  const admin = makeClient(url, ADMIN_USER, ADMIN_PASSWORD);

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

  let clock = startClock;
  async function setClock(ms) {
    if (!clockFile) throw new Error('start the server with {clock: true} to move its clock');
    clock = Math.round(ms);
    await writeFile(clockFile, `${clock}\n`);
  }

  return {
    url,
    dir,
    api: admin.api,
    full: admin.full,
    as: (username, password) => makeClient(url, username, password),
    setClock,
    now: () => (clockFile ? clock : Date.now()),
    stop,
    process: child,
  };
}

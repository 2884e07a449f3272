// components/clock.js - the dispatch clocks: a countdown to a deadline that ticks
// every second in the browser, green while running, amber in its last ten
// minutes, red once missed; a check mark when met in time. One shared timer drives
// every clock on the page. The server's "now" (the board answers it) corrects the
// browser's own clock, so the countdowns follow the server's time, not the PC's.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import { t } from '../i18n.js';
import { fmtTime } from '../format.js';

let skew = 0; // server now - browser now, ms
const listeners = new Set();
let timer = null;

// Records the server's time as it answered (RFC 3339 or epoch ms).
export function setServerNow(v) {
  const ms = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isNaN(ms)) skew = ms - Date.now();
}

export function serverNow() {
  return Date.now() + skew;
}

function tick() {
  for (const fn of listeners) fn();
}

// Re-renders the calling component once a second; answers the server's now.
export function useTick() {
  const [, setN] = useState(0);
  useEffect(() => {
    const fn = () => setN((n) => n + 1);
    listeners.add(fn);
    if (!timer) timer = setInterval(tick, 1000);
    return () => {
      listeners.delete(fn);
      if (listeners.size === 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    };
  }, []);
  return serverNow();
}

const pad = (n) => String(n).padStart(2, '0');

// 5400000 -> "1:30:00"; 754000 -> "12:34".
export function fmtDuration(ms) {
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${pad(m)}:${pad(sec)}`;
}

const ms = (v) => {
  if (v === null || v === undefined || v === '') return null;
  const x = typeof v === 'number' ? v : Date.parse(v);
  return Number.isNaN(x) ? null : x;
};

const WARN_MS = 10 * 60 * 1000;

// A clock's state at now: {state: running|warn|met|breached|stopped|none, left, doneAt}.
// c: {due, doneAt, breachedAt, stopped} in epoch ms (null when not known).
export function clockState(c, now) {
  if (!c || c.due === null) return { state: 'none' };
  if (c.breachedAt !== null && c.breachedAt !== undefined) return { state: 'breached', left: c.due - now, doneAt: c.doneAt };
  if (c.doneAt !== null && c.doneAt !== undefined) return { state: c.doneAt <= c.due ? 'met' : 'breached', doneAt: c.doneAt };
  if (c.stopped) return { state: 'stopped' };
  const left = c.due - now;
  if (left < 0) return { state: 'breached', left };
  return { state: left <= WARN_MS ? 'warn' : 'running', left };
}

// The acknowledgement clock of a dispatch: answered (accepted or declined) by ack_due_at.
export function ackClock(d) {
  const doneAt = ms(d.accepted_at) ?? ms(d.declined_at);
  return { due: ms(d.ack_due_at), doneAt, breachedAt: ms(d.ack_breached_at), stopped: ms(d.withdrawn_at) !== null };
}

// The 2-hour commitment: plan started and people on site by commit_due_at, unless
// declined, withdrawn, or resolved in time.
export function commitClock(d) {
  const due = ms(d.commit_due_at);
  const resolved = ms(d.resolved_at);
  const plan = ms(d.plan_started_at);
  const site = ms(d.on_site_at);
  let doneAt = null;
  if (resolved !== null && due !== null && resolved <= due) doneAt = resolved;
  else if (plan !== null && site !== null) doneAt = Math.max(plan, site);
  else if (resolved !== null) doneAt = resolved;
  return {
    due,
    doneAt,
    breachedAt: ms(d.commit_breached_at),
    stopped: ms(d.declined_at) !== null || ms(d.withdrawn_at) !== null,
  };
}

// Whether a dispatch has a breach recorded or a deadline already missed.
export function dispatchBreached(d, now) {
  return clockState(ackClock(d), now).state === 'breached' || clockState(commitClock(d), now).state === 'breached';
}

// One countdown. kind: 'ack' | 'commit' (its label); id for tests.
export function Countdown({ clock, kind, id, now: given }) {
  const ticking = useTick();
  const now = given ?? ticking;
  const s = clockState(clock, now);
  const label = t(`clock.${kind}`);
  let text;
  switch (s.state) {
    case 'running':
    case 'warn':
      text = t('clock.left', { d: fmtDuration(s.left) });
      break;
    case 'met':
      text = t('clock.met', { time: fmtTime(new Date(s.doneAt).toISOString()) });
      break;
    case 'breached':
      text = s.doneAt !== null && s.doneAt !== undefined
        ? t('clock.breachedDone')
        : t('clock.over', { d: fmtDuration(s.left ?? 0) });
      break;
    case 'stopped':
      text = t('clock.stopped');
      break;
    default:
      text = t('common.none');
  }
  const due = clock && clock.due !== null ? fmtTime(new Date(clock.due).toISOString()) : '';
  return html`<span class=${`clock clock-${s.state}`} data-state=${s.state} data-kind=${kind} id=${id}
      title=${due ? t('clock.dueAt', { label, time: due }) : label}>
    <span class="clock-label">${label}</span>
    <span class="clock-value">${text}</span>
  </span>`;
}

// Both clocks of a dispatch side by side.
export function DispatchClocks({ d, idPrefix }) {
  const p = idPrefix || `d${d.id}`;
  return html`<span class="clocks">
    <${Countdown} clock=${ackClock(d)} kind="ack" id=${`${p}-ack`} />
    <${Countdown} clock=${commitClock(d)} kind="commit" id=${`${p}-commit`} />
  </span>`;
}

// A deadline without milestones (an upward report): due, and when it was met.
export function DeadlineClock({ due, doneAt, overdue, id, kind = 'report' }) {
  const clock = { due: ms(due), doneAt: ms(doneAt), breachedAt: overdue && !doneAt ? ms(due) : null, stopped: false };
  return html`<${Countdown} clock=${clock} kind=${kind} id=${id} />`;
}

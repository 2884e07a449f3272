// format.js - times and numbers. The users work in China, so every time is shown
// and entered in Asia/Shanghai (UTC+8, no daylight saving), whatever the
// browser's own time zone is.

const OFFSET_MS = 8 * 3600 * 1000;
const pad = (n) => String(n).padStart(2, '0');

function shifted(iso) {
  if (!iso) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  return new Date(ms + OFFSET_MS);
}

// "2026-11-22T04:38:00.000Z" -> "2026-11-22 12:38"
export function fmtTime(iso) {
  const d = shifted(iso);
  if (!d) return '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

// Like fmtTime with seconds, for the audit log.
export function fmtTimeSec(iso) {
  const d = shifted(iso);
  if (!d) return '';
  return `${fmtTime(iso)}:${pad(d.getUTCSeconds())}`;
}

// RFC 3339 UTC -> the value of an <input type=datetime-local> in UTC+8.
export function toLocalInput(iso) {
  const d = shifted(iso);
  if (!d) return '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

// The value of an <input type=datetime-local> read as UTC+8 -> RFC 3339 with offset.
export function fromLocalInput(value) {
  if (!value) return null;
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?/.exec(value);
  if (!m) return null;
  return `${m[1]}T${m[2]}${m[3] || ':00'}+08:00`;
}

// A YYYY-MM-DD date taken as the start of that day in UTC+8 -> RFC 3339 UTC.
export function dayStartUtc(date, plusDays = 0) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3] + plusDays) - OFFSET_MS;
  return new Date(ms).toISOString();
}

// Today's date in UTC+8, for the max of date inputs.
export function todayCst() {
  const d = new Date(Date.now() + OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// Whether now lies in [starts_at, ends_at).
export function isNow(startsAt, endsAt, now = Date.now()) {
  const s = Date.parse(startsAt);
  const e = Date.parse(endsAt);
  return !Number.isNaN(s) && !Number.isNaN(e) && s <= now && now < e;
}

export function fmtNumber(n) {
  if (n === null || n === undefined || n === '') return '';
  const v = Number(n);
  if (!Number.isFinite(v)) return String(n);
  return v.toLocaleString('en-US');
}

// RFC 3339 -> "YYYY-MM-DD" in UTC+8.
export function fmtDate(iso) {
  const d = shifted(iso);
  if (!d) return '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// RFC 3339 -> {date: "YYYY-MM-DD", time: "HH:MM"} in UTC+8, for a date and a time input.
export function toDateTimeParts(iso) {
  const v = toLocalInput(iso);
  return v ? { date: v.slice(0, 10), time: v.slice(11, 16) } : { date: '', time: '' };
}

// A date and a time input read as UTC+8 -> RFC 3339 with offset, or null when incomplete.
export function fromDateTimeParts(date, time) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date || '') || !/^\d{2}:\d{2}(:\d{2})?$/.test(time || '')) return null;
  return `${date}T${time.slice(0, 5)}:00+08:00`;
}

// A score kept in hundredths: "81.67".
export function fmtScore(v) {
  if (v === null || v === undefined || v === '') return '';
  const n = Number(v);
  return Number.isFinite(n) ? n.toFixed(2) : String(v);
}

export function fmtBytes(n) {
  if (n === null || n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

// A SHA-256 in groups of eight, for people comparing it by eye.
export function groupHex(hex) {
  return (hex || '').replace(/(.{8})(?=.)/g, '$1 ');
}

// pages/incmodel.js - the codes of incidents and dispatches (docs/api-incidents.md)
// and what the incident pages share: their localized names and badges, the
// reference lists, times as epoch ms, the next states an incident may move to,
// and a timeline entry in words.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, has, getLang } from '../i18n.js';

export const LEVELS = ['extraordinary', 'major', 'significant', 'general'];
export const STATUSES = ['reported', 'triaged', 'dispatched', 'in_progress', 'contained', 'resolved', 'closed'];
export const OPEN_STATUSES = STATUSES.filter((s) => s !== 'closed');
export const DISPATCH_STATUSES = ['notified', 'accepted', 'working', 'resolved', 'declined', 'withdrawn'];
export const LIVE = ['notified', 'accepted', 'working'];
export const OPERATOR_TYPES = ['cii', 'central_state', 'other'];
export const SOURCES = ['authority', 'unit_discovery', 'public_report', 'monitoring_alert', 'threat_match'];
export const INDICATOR_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'file', 'other'];

// An API time (RFC 3339 text, or epoch ms in the newer routes) as epoch ms, or null.
export function toMs(v) {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return v;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

// Epoch ms or RFC 3339 -> RFC 3339, for the formatting helpers of format.js.
export function toIso(v) {
  const ms = toMs(v);
  return ms === null ? null : new Date(ms).toISOString();
}

const named = (prefix, code, none) => {
  if (code === null || code === undefined || code === '') return none === undefined ? t('common.none') : none;
  return has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : String(code);
};

export const levelName = (code) => named('inc.level', code, t('inc.level.none'));
export const statusName = (code) => named('inc.status', code);
export const dispatchStatusName = (code) => named('disp.status', code);
export const operatorName = (code) => named('inc.operator', code);
export const sourceName = (code) => named('inc.source', code);

const STATUS_TONE = {
  reported: 'warn', triaged: 'info', dispatched: 'info', in_progress: 'accent',
  contained: 'info', resolved: 'ok', closed: 'muted',
};
const DISPATCH_TONE = {
  notified: 'warn', accepted: 'info', working: 'accent', resolved: 'ok', declined: 'muted', withdrawn: 'muted',
};

export function LevelBadge({ level, id }) {
  return html`<span class=${`badge inc-level inc-level-${level || 'none'}`} data-level=${level || ''} id=${id}>${levelName(level)}</span>`;
}

export function StatusBadge({ status, id }) {
  return html`<span class=${`badge badge-${STATUS_TONE[status] || 'muted'}`} data-code=${status} id=${id}>${statusName(status)}</span>`;
}

export function DispatchBadge({ status, id }) {
  return html`<span class=${`badge badge-${DISPATCH_TONE[status] || 'muted'}`} data-code=${status} id=${id}>${dispatchStatusName(status)}</span>`;
}

// The reference lists the incident pages need, loaded once for the page's life.
export function useIncidentRefs() {
  const [refs, setRefs] = useState(null);
  useEffect(() => {
    let live = true;
    Promise.all(['incident-classes', 'incident-levels', 'provinces', 'capability-fields'].map((n) => api.reference(n).catch(() => [])))
      .then(([classes, levels, provinces, fields]) => live && setRefs({ classes, levels, provinces, fields }));
    return () => { live = false; };
  }, []);
  return refs;
}

const localName = (x) => (getLang() === 'en' ? x.name_en || x.name_zh : x.name_zh);

// The 2023 classes (the 2007 ones are aliases for old records only).
export function currentClasses(classes) {
  return (classes || []).filter((c) => !c.alias_of && c.standard !== '2007');
}

// "恶意程序事件 / 勒索软件" for a class and sub-class code.
export function className(classes, classCode, subCode) {
  if (!classCode) return '';
  const c = (classes || []).find((x) => x.code === classCode);
  if (!c) return subCode ? `${classCode} / ${subCode}` : classCode;
  const s = subCode && (c.subclasses || []).find((x) => x.code === subCode);
  const cn = localName(c);
  return subCode ? `${cn} / ${s ? s.name_zh : subCode}` : cn;
}

export function region(i) {
  return [i.province, i.city].filter(Boolean).join(' · ');
}

// The states an incident may be moved to from status (forward, or reopening).
export function nextStatuses(status) {
  const i = STATUSES.indexOf(status);
  const out = STATUSES.slice(i + 1).filter((s) => s !== 'closed' || status === 'resolved');
  if (status === 'resolved') out.unshift('in_progress');
  return out;
}

export const isOpen = (inc) => !inc.merged_into && inc.status !== 'resolved' && inc.status !== 'closed';

// A timeline entry in words: {what, detail}; the unit it concerns is shown beside it.
export function timelineText(e) {
  const d = e.detail || {};
  const what = has(`tl.${e.kind}`) ? t(`tl.${e.kind}`) : e.kind;
  let detail = '';
  switch (e.kind) {
    case 'reported':
      detail = [d.title, d.source ? sourceName(d.source) : ''].filter(Boolean).join(' · ');
      break;
    case 'updated':
      detail = t('tl.updatedKeys', { keys: Object.keys(d).join(', ') });
      break;
    case 'graded':
      detail = t('tl.gradedDetail', { level: levelName(d.level), proposed: levelName(d.proposed) }) +
        (d.override_reason ? ` ${t('tl.overrideReason', { reason: d.override_reason })}` : '');
      break;
    case 'status':
      detail = `${statusName(d.from)} → ${statusName(d.to)}${d.reason ? `（${d.reason}）` : ''}`;
      break;
    case 'final_report':
      detail = d.complete ? t('tl.finalComplete') : t('tl.finalPartial');
      break;
    case 'merged':
      detail = t('tl.mergedDetail', { id: d.into }) + (d.reason ? `（${d.reason}）` : '');
      break;
    case 'merged_in':
      detail = t('tl.mergedInDetail', { id: d.from, title: d.title || '' });
      break;
    case 'note':
      detail = d.text || '';
      break;
    case 'evidence_added':
      detail = `#${d.seq} ${d.filename || ''}${d.sha256 ? ` · SHA-256 ${d.sha256.slice(0, 12)}…` : ''}`;
      break;
    case 'report_sent':
      detail = [has(`rep.kind.${d.kind}`) ? t(`rep.kind.${d.kind}`) : d.kind, d.recipient ? `→ ${d.recipient}` : '',
        d.on_time === true ? t('tl.onTime') : d.on_time === false ? t('tl.late') : ''].filter(Boolean).join(' ');
      break;
    case 'dispatched':
      detail = [t('disp.numbered', { id: d.dispatch_id }), d.urgent ? t('disp.urgent') : ''].filter(Boolean).join(' · ');
      break;
    case 'redispatched':
      detail = t('tl.redispatchedDetail', { from: d.from_dispatch, to: d.to_dispatch, reason: d.reason || '' });
      break;
    case 'dispatch.breach':
      detail = [d.ack ? t('tl.breachAck') : '', d.commitment ? t('tl.breachCommit') : ''].filter(Boolean).join('；');
      break;
    default:
      if (e.kind.startsWith('dispatch.')) {
        detail = [d.people ? t('tl.people', { people: d.people }) : '', d.reason ? t('tl.reason', { reason: d.reason }) : '']
          .filter(Boolean).join(' · ');
      }
  }
  return { what, detail };
}

// A short message for a refused change, by the field the server names.
export function refusalHint(err) {
  if (!err || !err.field) return '';
  const key = `inc.refused.${err.field}`;
  return has(key) ? t(key) : '';
}

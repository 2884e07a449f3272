// pages/worklog.js - the work record (#/worklog): a unit logs its technical-support
// hours and incident participation (kind, optionally one of its dispatches, task,
// start/end, people); the month's entries with their totals by kind. The authority
// and the auditor read any unit's log with a unit filter. Also the small helpers
// the obligations and drills pages share (months, API times, durations, marks).
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { fmtTime, toLocalInput, fromLocalInput } from '../format.js';
import { ErrorBox, Notice, Loading, Field, Modal, ConfirmDialog, EmptyRow, fieldMessage } from '../components/ui.js';

export const WORK_KINDS = ['incident_response', 'technical_support', 'monitoring', 'major_event', 'other'];

const OFFSET_MS = 8 * 3600 * 1000;
const pad = (n) => String(n).padStart(2, '0');

// --- shared helpers ------------------------------------------------------------------

// An API time (RFC 3339 text, or UTC milliseconds) as RFC 3339 text, or null.
export function isoOf(v) {
  if (v === null || v === undefined || v === '' || v === 0) return null;
  if (typeof v === 'number') return new Date(v).toISOString();
  return String(v);
}

// An API time as "YYYY-MM-DD HH:MM" in UTC+8.
export const fmtApiTime = (v) => fmtTime(isoOf(v));

// An API time in milliseconds, or NaN.
export const msOf = (v) => (typeof v === 'number' ? v : Date.parse(v || ''));

// The month (UTC+8) of now, or of an offset of months from a "YYYY-MM".
export function currentMonth(now = Date.now()) {
  const d = new Date(now + OFFSET_MS);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

export function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

export const validMonth = (m) => (typeof m === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(m) ? m : null);

// Person-minutes as hours with at most one decimal: 150 -> "2.5".
export function fmtHours(minutes) {
  const v = Math.round((Number(minutes) || 0) / 6) / 10;
  return String(v);
}

// A duration in milliseconds: "3 分 20 秒", "1 小时 5 分".
export function fmtDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(Number(ms))) return '';
  const s = Math.max(0, Math.round(Number(ms) / 1000));
  if (s < 60) return t('dur.sec', { s });
  if (s < 3600) return t('dur.min', { m: Math.floor(s / 60), s: s % 60 });
  if (s < 86400) return t('dur.hour', { h: Math.floor(s / 3600), m: Math.floor((s % 3600) / 60) });
  return t('dur.day', { d: Math.floor(s / 86400), h: Math.floor((s % 86400) / 3600) });
}

// Green 达标 or red 未达标; id and data-met for tests.
export function MetBadge({ met, id }) {
  if (met === null || met === undefined) return html`<span class="muted">${t('common.none')}</span>`;
  return html`<span class=${`badge met-badge ${met ? 'badge-ok' : 'badge-error'}`} id=${id}
    data-met=${met ? 'true' : 'false'}>${met ? `✓ ${t('work.met')}` : `✗ ${t('work.notMet')}`}</span>`;
}

// A month input with previous / next buttons; max: the latest month allowed, if any.
export function MonthPicker({ id, month, onMonth, max }) {
  return html`<span class="month-picker">
    <button type="button" class="btn btn-small" id=${`${id}-prev`} title=${t('work.prevMonth')}
      aria-label=${t('work.prevMonth')} onClick=${() => onMonth(addMonths(month, -1))}>‹</button>
    <input type="month" id=${id} aria-label=${t('work.month')} value=${month} max=${max}
      onChange=${(e) => validMonth(e.target.value) && (!max || e.target.value <= max) && onMonth(e.target.value)} />
    <button type="button" class="btn btn-small" id=${`${id}-next`} title=${t('work.nextMonth')}
      aria-label=${t('work.nextMonth')} disabled=${!!max && month >= max}
      onClick=${() => onMonth(addMonths(month, 1))}>›</button>
  </span>`;
}

// Every unit (id, name), for the unit filters and the drill's target choice.
export async function loadUnitNames() {
  const items = await api.getAll('/api/v1/units');
  return items.map((u) => ({ id: u.id, name: u.name }));
}

export const kindName = (k) => t(`work.kind.${k}`);

// --- the form ----------------------------------------------------------------------------

// A datetime-local value (UTC+8) as the API's time.
const apiTime = (v) => fromLocalInput(v);

function emptyForm() {
  return { kind: 'technical_support', dispatch_id: '', task: '', description: '', started_at: '', ended_at: '', people: '1' };
}

function formOf(log) {
  return {
    kind: log.kind,
    dispatch_id: log.dispatch_id ? String(log.dispatch_id) : '',
    task: log.task || '',
    description: log.description || '',
    started_at: toLocalInput(isoOf(log.started_at)),
    ended_at: toLocalInput(isoOf(log.ended_at)),
    people: String(log.people ?? 1),
  };
}

// Person-minutes the form describes, or null while incomplete.
function formMinutes(f) {
  const s = Date.parse(fromLocalInput(f.started_at) || '');
  const e = Date.parse(fromLocalInput(f.ended_at) || '');
  const p = Number(f.people);
  if (Number.isNaN(s) || Number.isNaN(e) || e <= s || !Number.isInteger(p) || p < 1) return null;
  return Math.floor((e - s) / 60000) * p;
}

function LogDialog({ log, dispatches, onClose, onSaved }) {
  const [f, setF] = useState(log ? formOf(log) : emptyForm());
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k, v) => {
    setF((x) => ({ ...x, [k]: v }));
    if (error && error.field === k) setError(null);
  };
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    if (!/^\d+$/.test(f.people.trim())) {
      setError({ field: 'people', message: t('err.notInteger') });
      return;
    }
    for (const k of ['started_at', 'ended_at']) {
      if (!apiTime(f[k])) {
        setError({ field: k, message: t('err.badTime') });
        return;
      }
    }
    const body = {
      kind: f.kind,
      task: f.task.trim(),
      started_at: apiTime(f.started_at),
      ended_at: apiTime(f.ended_at),
      people: Number(f.people.trim()),
    };
    const desc = f.description.trim();
    const dispatch = f.dispatch_id ? Number(f.dispatch_id) : null;
    if (log) {
      body.description = desc || null;
      body.dispatch_id = dispatch;
    } else {
      if (desc) body.description = desc;
      if (dispatch) body.dispatch_id = dispatch;
    }
    setBusy(true);
    try {
      const r = log
        ? await api.patch(`/api/v1/work-logs/${log.id}`, body, { ifMatch: `"${log.version}"` })
        : await api.post('/api/v1/work-logs', body);
      onSaved(r.data);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const known = ['kind', 'dispatch_id', 'task', 'description', 'started_at', 'ended_at', 'people'];
  const msg = (k) => fieldMessage(error, k);
  const minutes = formMinutes(f);
  return html`<${Modal} title=${log ? t('work.editTitle') : t('work.newTitle')} onClose=${onClose}>
    <form id="worklog-form" onSubmit=${submit} novalidate>
      ${error && !known.includes(error.field)
        ? html`<${ErrorBox} error=${error} title=${error.code === 'precondition_failed' ? t('work.stale') : undefined} />`
        : null}
      <div class="form-grid form-grid-2">
        <${Field} id="wl-kind" label=${t('work.kind')} required=${true} error=${msg('kind')}>
          <select id="wl-kind" value=${f.kind} onChange=${(e) => set('kind', e.target.value)}>
            ${WORK_KINDS.map((k) => html`<option key=${k} value=${k}>${kindName(k)}</option>`)}
          </select>
        </${Field}>
        <${Field} id="wl-dispatch" label=${t('work.dispatch')} error=${msg('dispatch_id')} hint=${t('work.dispatchHint')}>
          <select id="wl-dispatch" value=${f.dispatch_id} onChange=${(e) => set('dispatch_id', e.target.value)}>
            <option value="">${t('work.noDispatch')}</option>
            ${dispatches.map((d) => html`<option key=${d.id} value=${String(d.id)}>${t('work.dispatchLabel', {
              id: d.id, title: d.incident_title || '', time: fmtApiTime(d.notified_at) })}</option>`)}
          </select>
        </${Field}>
        <${Field} id="wl-task" label=${t('work.task')} required=${true} error=${msg('task')} full=${true}>
          <input id="wl-task" maxlength="200" value=${f.task} onInput=${(e) => set('task', e.target.value)} />
        </${Field}>
        <${Field} id="wl-description" label=${t('work.description')} error=${msg('description')} full=${true}>
          <textarea id="wl-description" rows="3" value=${f.description}
            onInput=${(e) => set('description', e.target.value)}></textarea>
        </${Field}>
        <${Field} id="wl-started" label=${t('work.started_at')} required=${true} error=${msg('started_at')}>
          <input id="wl-started" type="datetime-local" value=${f.started_at} onInput=${(e) => set('started_at', e.target.value)} />
        </${Field}>
        <${Field} id="wl-ended" label=${t('work.ended_at')} required=${true} error=${msg('ended_at')}>
          <input id="wl-ended" type="datetime-local" value=${f.ended_at} onInput=${(e) => set('ended_at', e.target.value)} />
        </${Field}>
        <${Field} id="wl-people" label=${t('work.people')} required=${true} error=${msg('people')}
          hint=${minutes !== null ? t('work.minutesHint', { h: fmtHours(minutes) }) : null}>
          <input id="wl-people" inputmode="numeric" value=${f.people} onInput=${(e) => set('people', e.target.value)} />
        </${Field}>
      </div>
      <div class="modal-foot">
        <button type="button" class="btn" onClick=${onClose}>${t('common.cancel')}</button>
        <button type="submit" class="btn btn-primary" id="wl-save" disabled=${busy}>${busy ? t('common.saving') : t('common.save')}</button>
      </div>
    </form>
  </${Modal}>`;
}

// --- the page --------------------------------------------------------------------------

function Totals({ items }) {
  const byKind = {};
  let total = 0;
  for (const it of items) {
    byKind[it.kind] = (byKind[it.kind] || 0) + (Number(it.minutes) || 0);
    total += Number(it.minutes) || 0;
  }
  const support = total - (byKind.other || 0);
  return html`<div class="work-totals" id="work-totals">
    <div class="stat-card stat-main">
      <div class="stat-label">${t('work.totalHours')}</div>
      <div class="stat-value" id="work-total" data-minutes=${total}>${t('work.totalHoursValue', { h: fmtHours(total) })}</div>
      <div class="stat-sub">${t('work.logCount', { n: items.length })}</div>
    </div>
    <div class="stat-card">
      <div class="stat-label">${t('work.supportHours')}</div>
      <div class="stat-value" id="work-support" data-minutes=${support}>${t('work.totalHoursValue', { h: fmtHours(support) })}</div>
      <div class="stat-sub">${t('work.supportHint')}</div>
    </div>
    <div class="stat-card stat-kinds">
      <div class="stat-label">${t('work.byKind')}</div>
      <ul class="kind-list">
        ${WORK_KINDS.map((k) => html`<li key=${k} id=${`work-kind-${k}`} data-minutes=${byKind[k] || 0}
          class=${byKind[k] ? '' : 'muted'}>
          <span class=${`kind-dot kind-${k}`} aria-hidden="true"></span>${kindName(k)}
          <strong>${fmtHours(byKind[k] || 0)}</strong></li>`)}
      </ul>
    </div>
  </div>`;
}

// The month's judgement for one unit, from the obligations API.
function MonthJudgement({ unitId, month }) {
  const [m, setM] = useState(null);
  useEffect(() => {
    setM(null);
    if (!unitId || month > currentMonth()) return; // the server judges no future month
    api.get(`/api/v1/units/${unitId}/obligations`, { from: month, to: month }).then(
      (r) => setM((r.data.months || []).find((x) => x.month === month) || null),
      () => setM(null),
    );
  }, [unitId, month]);
  if (!m) return null;
  return html`<div class="work-judgement" id="work-judgement">
    <span>${t('oblig.incidentsMet')} <${MetBadge} met=${m.incidents_met} /></span>
    <span>${t('oblig.hoursMet')} <${MetBadge} met=${m.hours_met} /></span>
    <span>${t('oblig.contactMet')} <${MetBadge} met=${m.contact_met} /></span>
    <a href=${`#/obligations/${unitId}`} id="work-to-obligations">${t('work.toObligations')} →</a>
  </div>`;
}

export function WorklogPage({ user, query }) {
  const own = user.role === 'unit';
  const write = can.writeWorklog(user);
  const [month, setMonth] = useState(validMonth(query && query.month) || currentMonth());
  const [unitId, setUnitId] = useState(own ? String(user.unit_id) : (query && query.unit) || '');
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [units, setUnits] = useState([]);
  const [dispatches, setDispatches] = useState([]);
  const [dialog, setDialog] = useState(null); // {kind: 'new'|'edit'|'delete', log}
  const [notice, setNotice] = useState(null);
  const [actionError, setActionError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [rev, setRev] = useState(0); // bumped by every load, so the judgement follows
  const seq = useRef(0);

  const load = async () => {
    const my = ++seq.current;
    setError(null);
    try {
      const list = await api.getAll('/api/v1/work-logs', { month, unit_id: unitId || undefined });
      if (my !== seq.current) return;
      list.sort((a, b) => msOf(a.started_at) - msOf(b.started_at) || a.id - b.id);
      setItems(list);
      setRev((n) => n + 1);
    } catch (e) {
      if (my === seq.current) setError(e);
    }
  };

  useEffect(() => {
    setItems(null);
    load();
    replaceQuery({ month, unit: own ? undefined : unitId });
  }, [month, unitId]);

  useEffect(() => {
    if (!own) loadUnitNames().then(setUnits, () => {});
    if (write) api.get('/api/v1/dispatches', { limit: 100 }).then((r) => setDispatches(r.data.items || []), () => {});
  }, []);

  const onSaved = () => {
    setDialog(null);
    setNotice(t('work.saved'));
    load();
  };

  const doDelete = async () => {
    const log = dialog.log;
    setBusy(true);
    setActionError(null);
    try {
      await api.del(`/api/v1/work-logs/${log.id}`, { ifMatch: `"${log.version}"` });
      setDialog(null);
      setNotice(t('work.deleted'));
      load();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };

  const showUnit = !own && !unitId;
  const cols = 7 + (showUnit ? 1 : 0) + (write ? 1 : 0);
  return html`<div class="page" id="worklog-page">
    <div class="page-head">
      <div>
        <h2>${t('work.title')}</h2>
        <div class="subhead">${t('work.subtitle')}</div>
      </div>
      <div class="actions">
        ${write ? html`<button type="button" class="btn btn-primary" id="worklog-new"
          onClick=${() => { setNotice(null); setDialog({ kind: 'new' }); }}>＋ ${t('work.new')}</button>` : null}
      </div>
    </div>
    ${!write ? html`<${Notice}>${t('work.readOnly')}</${Notice}>` : null}
    ${notice ? html`<${Notice} kind="ok"><span id="worklog-notice">${notice}</span></${Notice}>` : null}
    <div class="filters filters-grid">
      <div class="filter-item"><span>${t('work.month')}</span>
        <${MonthPicker} id="worklog-month" month=${month} onMonth=${setMonth} /></div>
      ${!own ? html`<label class="filter-item"><span>${t('work.unit')}</span>
        <select id="worklog-unit" value=${unitId} onChange=${(e) => setUnitId(e.target.value)}>
          <option value="">${t('work.allUnits')}</option>
          ${units.map((u) => html`<option key=${u.id} value=${String(u.id)}>${u.name}</option>`)}
        </select></label>` : null}
    </div>
    <${ErrorBox} error=${error} />
    ${items ? html`<${Totals} items=${items} />` : null}
    ${unitId ? html`<${MonthJudgement} unitId=${unitId} month=${month} key=${`${unitId}-${month}-${rev}`} />` : null}
    <div class="table-wrap">
      <table class="table" id="worklog-table">
        <thead><tr>
          ${showUnit ? html`<th>${t('work.unit')}</th>` : null}
          <th>${t('work.kind')}</th><th>${t('work.task')}</th><th>${t('work.started_at')}</th>
          <th>${t('work.ended_at')}</th><th class="num">${t('work.people')}</th>
          <th class="num">${t('work.personHours')}</th><th>${t('work.dispatch')}</th>
          ${write ? html`<th>${t('common.actions')}</th>` : null}
        </tr></thead>
        <tbody>
          ${(items || []).map((it) => html`<tr key=${it.id} data-log-id=${it.id} class="worklog-row">
            ${showUnit ? html`<td><a href=${`#/worklog?month=${month}&unit=${it.unit_id}`}
              onClick=${(e) => { e.preventDefault(); setUnitId(String(it.unit_id)); }}>${it.unit_name}</a></td>` : null}
            <td class="nowrap"><span class=${`kind-dot kind-${it.kind}`} aria-hidden="true"></span>${kindName(it.kind)}</td>
            <td><div class="worklog-task">${it.task}</div>
              ${it.description ? html`<div class="small muted pre">${it.description}</div>` : null}</td>
            <td class="nowrap">${fmtApiTime(it.started_at)}</td>
            <td class="nowrap">${fmtApiTime(it.ended_at)}</td>
            <td class="num">${it.people}</td>
            <td class="num worklog-hours">${fmtHours(it.minutes)}</td>
            <td class="nowrap">${it.dispatch_id
              ? html`<a class="worklog-dispatch" href=${`#/dispatches/${it.dispatch_id}`}>${t('work.dispatchLink', { id: it.dispatch_id })}</a>
                ${it.incident_id ? html`<div class="small"><a href=${`#/incidents/${it.incident_id}`}>${t('work.incidentLink', { id: it.incident_id })}</a></div>` : null}`
              : html`<span class="muted">${t('common.none')}</span>`}</td>
            ${write ? html`<td><div class="row-actions">
              <button type="button" class="btn btn-small worklog-edit" onClick=${() => { setNotice(null); setDialog({ kind: 'edit', log: it }); }}>${t('common.edit')}</button>
              <button type="button" class="btn btn-small btn-danger-outline worklog-delete"
                onClick=${() => { setNotice(null); setActionError(null); setDialog({ kind: 'delete', log: it }); }}>${t('common.delete')}</button>
            </div></td>` : null}
          </tr>`)}
          ${items && items.length === 0 ? html`<${EmptyRow} cols=${cols} text=${t('work.empty')} />` : null}
        </tbody>
      </table>
    </div>
    ${!items && !error ? html`<${Loading} />` : null}
    ${dialog && (dialog.kind === 'new' || dialog.kind === 'edit')
      ? html`<${LogDialog} log=${dialog.log} dispatches=${dispatches} onClose=${() => setDialog(null)} onSaved=${onSaved} />`
      : null}
    ${dialog && dialog.kind === 'delete'
      ? html`<${ConfirmDialog} title=${t('work.deleteTitle')} message=${t('work.deleteConfirm', { task: dialog.log.task })}
          confirmLabel=${t('common.delete')} danger=${true} busy=${busy} error=${actionError}
          onCancel=${() => setDialog(null)} onConfirm=${doDelete} />`
      : null}
  </div>`;
}

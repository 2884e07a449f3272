// pages/increports.js - upward reporting (向上报告, the CAC measures): who must be
// told and by when (first report, pass-on, final), each with a countdown that turns
// red when overdue; the reports themselves (first report with only the first two
// items allowed, follow-ups, the final report) saved, sent, and exported as PDF or
// JSON. Uses GET /incidents/{id}/reporting, /reference/report-forms and the
// /reports routes; where the server does not offer them yet (404) only the
// obligations the incident itself carries are shown.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, has } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime } from '../format.js';
import { ErrorBox, EmptyRow, Loading, Modal, Field, fieldMessage, Notice } from '../components/ui.js';
import { DeadlineClock, setServerNow } from '../components/clock.js';
import { LevelBadge, operatorName, toIso } from './incmodel.js';

const KINDS = ['first', 'pass_on', 'followup', 'final'];
const kindName = (k) => (has(`rep.kind.${k}`) ? t(`rep.kind.${k}`) : k);
const STATUS_TONE = { pending: 'warn', sent_on_time: 'ok', sent_late: 'error', overdue: 'error' };

function ObligationStatus({ status }) {
  if (!status) return null;
  return html`<span class=${`badge badge-${STATUS_TONE[status] || 'muted'}`} data-code=${status}>${t(`rep.status.${status}`)}</span>`;
}

function Obligations({ items, reports }) {
  return html`<div class="table-wrap"><table class="table" id="reporting-obligations">
    <thead><tr><th>${t('rep.kind')}</th><th>${t('rep.recipient')}</th><th>${t('rep.due_at')}</th><th>${t('rep.countdown')}</th>
      <th>${t('rep.state')}</th><th>${t('rep.report')}</th></tr></thead>
    <tbody>
      ${items.map((o) => {
        const rep = o.report_id ? (reports || []).find((r) => r.id === o.report_id) : null;
        const overdue = o.status === 'overdue' || o.status === 'sent_late';
        return html`<tr key=${o.kind} data-kind=${o.kind} data-status=${o.status || ''} class=${o.status === 'overdue' ? 'row-breach' : ''}>
          <td><strong>${kindName(o.kind)}</strong></td>
          <td>${o.recipient_zh || o.recipient}</td>
          <td class="nowrap">${o.due_at ? fmtTime(toIso(o.due_at)) : html`<span class="muted">${t('rep.dueUnknown')}</span>`}</td>
          <td>${o.due_at ? html`<${DeadlineClock} due=${o.due_at} doneAt=${o.sent_at} overdue=${overdue} id=${`report-clock-${o.kind}`} />` : null}</td>
          <td><${ObligationStatus} status=${o.status} /></td>
          <td>${rep ? html`${kindName(rep.kind)} #${rep.id}` : o.report_id ? `#${o.report_id}` : ''}
            ${o.sent_at ? html`<div class="muted small">${t('rep.sentAt', { time: fmtTime(toIso(o.sent_at)) })}</div>` : null}</td>
        </tr>`;
      })}
      ${items.length === 0 ? html`<${EmptyRow} cols=${6} text=${t('rep.noObligations')} />` : null}
    </tbody>
  </table></div>`;
}

// Writing one report: a text area per item of its form; save keeps a draft, send saves
// first. report: the stored one (editing) or null (a new one of kind).
function ReportEditor({ inc, kind, report, forms, onDone, onCancel }) {
  const items = kind === 'final' ? forms.final : forms.report;
  const [content, setContent] = useState(() => ({ ...((report && report.content) || {}) }));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const save = async () => {
    const body = {};
    for (const it of items) if ((content[it.code] || '').trim()) body[it.code] = content[it.code];
    if (report) {
      const cur = await api.get(`/api/v1/reports/${report.id}`);
      return (await api.patch(`/api/v1/reports/${report.id}`, { content: body }, { ifMatch: cur.etag })).data;
    }
    return (await api.post(`/api/v1/incidents/${inc.id}/reports`, { kind, content: body })).data;
  };
  const go = async (send) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await save();
      if (send) await api.post(`/api/v1/reports/${saved.id}/send`);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const filled = (c) => (content[c] || '').trim() !== '';
  const stage1 = items.filter((i) => i.stage === 1 && i.required).every((i) => filled(i.code));
  const complete = items.filter((i) => i.required).every((i) => filled(i.code));
  const canSend = kind === 'final' ? complete : kind === 'followup' ? items.some((i) => filled(i.code)) : stage1;
  return html`<${Modal} title=${`${kindName(kind)}${report ? ` #${report.id}` : ''}`} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn" id="report-save" disabled=${busy} onClick=${() => go(false)}>${t('rep.saveDraft')}</button>
        <button type="button" class="btn btn-primary" id="report-send" disabled=${busy || !canSend} onClick=${() => go(true)}>${t('rep.saveSend')}</button>`}>
    <p class="hint">${t(`rep.hint.${kind}`)}</p>
    <div class="report-items">
      ${items.map((it) => {
        const id = `report-item-${it.code}`;
        return html`<${Field} key=${it.code} id=${id} label=${html`${it.stage === 1 && kind !== 'final' ? html`<span class="badge badge-info">${t('rep.stage1')}</span> ` : null}${it.name_zh}`}
            required=${it.required} error=${fieldMessage(error, `content.${it.code}`)}>
          <textarea id=${id} rows="3" value=${content[it.code] || ''}
            onInput=${(e) => setContent((c) => ({ ...c, [it.code]: e.target.value }))}></textarea>
        </${Field}>`;
      })}
    </div>
    <div class="report-state">
      <span class=${stage1 ? 'badge badge-ok' : 'badge badge-muted'}>${stage1 ? '✓ ' : ''}${t('rep.stage1Done')}</span>
      <span class=${complete ? 'badge badge-ok' : 'badge badge-muted'}>${complete ? '✓ ' : ''}${t('rep.complete')}</span>
    </div>
    ${error && !(error.field || '').startsWith('content.') ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

function ReportsList({ reports, mayWrite, onEdit, onSent }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const send = async (r) => {
    setBusy(r.id);
    setError(null);
    try {
      await api.post(`/api/v1/reports/${r.id}/send`);
      onSent();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return html`<div>
    <${ErrorBox} error=${error} />
    <div class="table-wrap"><table class="table" id="reports-table">
      <thead><tr><th>${t('rep.kind')}</th><th>${t('rep.recipient')}</th><th>${t('rep.created_at')}</th><th>${t('rep.state')}</th>
        <th>${t('rep.sent_at')}</th><th>${t('common.actions')}</th></tr></thead>
      <tbody>
        ${reports.map((r) => html`<tr key=${r.id} data-report-id=${r.id} data-kind=${r.kind} data-sent=${r.sent_at ? 'true' : 'false'}>
          <td><strong>${kindName(r.kind)}</strong> <span class="muted small">#${r.id}</span></td>
          <td>${r.recipient_zh || ''}</td>
          <td class="nowrap">${fmtTime(toIso(r.created_at))}</td>
          <td>${r.complete ? html`<span class="badge badge-ok">${t('rep.complete')}</span>`
            : r.stage1 ? html`<span class="badge badge-info">${t('rep.stage1Done')}</span>` : html`<span class="badge badge-muted">${t('rep.draft')}</span>`}</td>
          <td class="nowrap">${r.sent_at ? fmtTime(toIso(r.sent_at)) : html`<span class="muted">${t('rep.notSent')}</span>`}</td>
          <td class="row-actions">
            ${mayWrite && !r.sent_at ? html`<button type="button" class="btn btn-small" id=${`report-edit-${r.id}`} onClick=${() => onEdit(r)}>${t('common.edit')}</button>
              <button type="button" class="btn btn-small btn-primary" id=${`report-send-${r.id}`} disabled=${busy === r.id} onClick=${() => send(r)}>${t('rep.send')}</button>` : null}
            <a class="btn btn-small" id=${`report-pdf-${r.id}`} href=${`/api/v1/reports/${r.id}/export?format=pdf`} download>PDF</a>
            <a class="btn btn-small" id=${`report-json-${r.id}`} href=${`/api/v1/reports/${r.id}/export?format=json`} download>JSON</a>
          </td>
        </tr>`)}
        ${reports.length === 0 ? html`<${EmptyRow} cols=${6} text=${t('rep.noReports')} />` : null}
      </tbody>
    </table></div>
  </div>`;
}

export function ReportingPanel({ inc, user }) {
  const [rep, setRep] = useState(null);
  const [forms, setForms] = useState(null);
  const [routes, setRoutes] = useState(true);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(null); // {kind, report}
  const load = () => api.get(`/api/v1/incidents/${inc.id}/reporting`).then((r) => {
    if (r.data.now) setServerNow(r.data.now);
    setRep(r.data);
    setRoutes(true);
  }, (e) => {
    if (e.status === 404) {
      setRoutes(false);
      setRep({ applies: (inc.reporting || []).length > 0, level: inc.level, operator_type: inc.operator_type,
        obligations: inc.reporting || [], reports: [] });
    } else {
      setError(e);
    }
  });
  useEffect(() => {
    load();
    api.get('/api/v1/reference/report-forms').then((r) => setForms(r.data), () => setForms(null));
  }, [inc.id, inc.version]);
  const mayWrite = routes && forms && can.writeReports(user);
  // One first report, pass-on and final report each (more goes in follow-ups); a
  // pass-on only where the level asks for one.
  const hasPassOn = rep && (rep.obligations || []).some((o) => o.kind === 'pass_on');
  const written = new Set(((rep && rep.reports) || []).map((r) => r.kind));
  const offered = (k) => (k === 'followup' ? written.has('first') : !written.has(k) && (k !== 'pass_on' || hasPassOn));
  return html`<section class="panel" id="reporting-panel">
    <div class="section-head"><h3>${t('rep.title')}</h3>
      ${rep ? html`<span class="subhead"><${LevelBadge} level=${rep.level} /> ${operatorName(rep.operator_type)}
        ${rep.recipient_zh ? html` → <strong>${rep.recipient_zh}</strong>` : null}</span>` : null}</div>
    <${ErrorBox} error=${error} />
    ${!rep && !error ? html`<${Loading} />` : null}
    ${rep && !rep.applies ? html`<${Notice}>${inc.level ? t('rep.notRequired') : t('rep.notGraded')}</${Notice}>` : null}
    ${rep && rep.applies ? html`<${Obligations} items=${rep.obligations || []} reports=${rep.reports} />` : null}
    ${rep && routes ? html`<h4 class="subhead-h">${t('rep.reports')}</h4>
      ${mayWrite ? html`<div class="form-actions-inline report-new">
        ${KINDS.filter(offered).map((k) => html`<button type="button" key=${k} class="btn btn-small"
          id=${`report-new-${k}`} onClick=${() => setEditing({ kind: k, report: null })}>＋ ${kindName(k)}</button>`)}
      </div>` : null}
      <${ReportsList} reports=${rep.reports || []} mayWrite=${mayWrite} onSent=${load}
        onEdit=${(r) => setEditing({ kind: r.kind, report: r })} />` : null}
    ${rep && !routes ? html`<p class="hint">${t('rep.unavailable')}</p>` : null}
    ${editing ? html`<${ReportEditor} inc=${inc} kind=${editing.kind} report=${editing.report} forms=${forms}
      onCancel=${() => setEditing(null)} onDone=${() => { setEditing(null); load(); }} />` : null}
  </section>`;
}

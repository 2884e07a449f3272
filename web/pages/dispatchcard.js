// pages/dispatchcard.js - one dispatch as a card: its status, both clocks, its
// milestones and the unit's notes; the unit's one-click answers (accept, decline
// with a reason, plan started, on site with who is there, remote support,
// resolved) and the authority's withdrawal and re-dispatch. Shared by the unit's
// inbox, the dispatch page and the incident page.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Modal, Field, fieldMessage } from '../components/ui.js';
import { DispatchClocks, dispatchBreached, serverNow } from '../components/clock.js';
import { DispatchBadge, LevelBadge, LIVE } from './incmodel.js';

// The milestones recorded so far, in order.
function Milestones({ d }) {
  const rows = [
    ['notified_at', d.notified_at],
    ['accepted_at', d.accepted_at],
    ['declined_at', d.declined_at, d.decline_reason],
    ['plan_started_at', d.plan_started_at],
    ['on_site_at', d.on_site_at, d.on_site_people],
    ['remote_support_at', d.remote_support_at],
    ['resolved_at', d.resolved_at],
    ['withdrawn_at', d.withdrawn_at, d.withdraw_reason],
  ].filter((r) => r[1]);
  return html`<ol class="milestones">
    ${rows.map(([k, at, extra]) => html`<li key=${k} data-milestone=${k}>
      <span class="milestone-name">${t(`disp.${k}`)}</span>
      <span class="nowrap">${fmtTime(at)}</span>
      ${extra ? html`<span class="milestone-extra">${extra}</span>` : null}
    </li>`)}
  </ol>`;
}

// The unit's next steps: which apply depends on the status and what is recorded.
export function unitSteps(d) {
  if (d.status === 'notified') return ['accept', 'decline'];
  if (d.status !== 'accepted' && d.status !== 'working') return [];
  const out = [];
  if (!d.plan_started_at) out.push('plan_started');
  if (!d.on_site_at) out.push('on_site');
  if (!d.remote_support_at) out.push('remote_support');
  if (d.status === 'working') out.push('resolve');
  return out;
}

const NEEDS = { decline: 'reason', on_site: 'people', withdraw: 'reason' };

// A dialog asking the reason or who is on site, then sending the action.
function ActionDialog({ d, action, onDone, onCancel }) {
  const need = NEEDS[action];
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    if (need && !text.trim()) {
      setError({ code: 'invalid', field: need, message: t(`disp.need.${need}`), local: true });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = { action };
      if (need) body[need] = text.trim();
      const r = await api.post(`/api/v1/dispatches/${d.id}/actions`, body);
      onDone(r.data);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const id = `action-${need || 'text'}`;
  return html`<${Modal} title=${t(`disp.act.${action}`)} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class=${action === 'decline' || action === 'withdraw' ? 'btn btn-danger' : 'btn btn-primary'}
          id="action-confirm" disabled=${busy} onClick=${go}>${t(`disp.act.${action}`)}</button>`}>
    <p>${t(`disp.ask.${action}`, { unit: d.unit_name || '', title: d.incident_title || '' })}</p>
    ${need ? html`<${Field} id=${id} label=${t(`disp.field.${need}`)} required=${true}
        error=${error && error.field === need ? (error.local ? error.message : fieldMessage(error, need)) : ''}>
      <textarea id=${id} rows="3" value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
    </${Field}>` : null}
    ${error && !(need && error.field === need) ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

// The unit's buttons: accept and the milestones go at once; decline and on site ask first.
export function UnitActions({ d, onChanged }) {
  const [asking, setAsking] = useState(null);
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const steps = unitSteps(d);
  if (!steps.length) return null;
  const run = async (action) => {
    if (NEEDS[action]) {
      setAsking(action);
      return;
    }
    setBusy(action);
    setError(null);
    try {
      const r = await api.post(`/api/v1/dispatches/${d.id}/actions`, { action });
      onChanged(r.data);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return html`<div class="dispatch-actions" data-dispatch-id=${d.id}>
    ${steps.map((a) => html`<button type="button" key=${a} id=${`act-${a}-${d.id}`} disabled=${busy !== null}
        class=${a === 'decline' ? 'btn btn-danger-outline' : a === 'accept' ? 'btn btn-primary btn-large' : 'btn btn-primary'}
        onClick=${() => run(a)}>${busy === a ? t('common.saving') : t(`disp.act.${a}`)}</button>`)}
    <${ErrorBox} error=${error} />
    ${asking ? html`<${ActionDialog} d=${d} action=${asking} onCancel=${() => setAsking(null)}
      onDone=${(x) => { setAsking(null); onChanged(x); }} />` : null}
  </div>`;
}

// The authority picks another unit from the suggestions and gives the reason.
function RedispatchDialog({ d, onDone, onCancel }) {
  const [units, setUnits] = useState(null);
  const [unitId, setUnitId] = useState('');
  const [reason, setReason] = useState('');
  const [urgent, setUrgent] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => {
    api.get(`/api/v1/incidents/${d.incident_id}/suggestions`, { limit: 50 })
      .then((r) => setUnits(r.data.items.filter((u) => u.unit_id !== d.unit_id)), setError);
  }, [d.id]);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post(`/api/v1/dispatches/${d.id}/redispatch`,
        { unit_id: unitId ? Number(unitId) : 0, reason: reason.trim(), urgent });
      onDone(r.data);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${t('disp.redispatchTitle')} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn btn-primary" id="redispatch-confirm" disabled=${busy || !unitId} onClick=${go}>${t('disp.redispatch')}</button>`}>
    <p>${t('disp.redispatchExplain', { unit: d.unit_name || '' })}</p>
    <div class="form-narrow">
      <${Field} id="redispatch-unit" label=${t('disp.redispatchTo')} required=${true} error=${fieldMessage(error, 'unit_id') || fieldMessage(error, 'unit_ids')}>
        <select id="redispatch-unit" value=${unitId} onChange=${(e) => setUnitId(e.target.value)}>
          <option value="">${units ? t('form.selectPlaceholder') : t('common.loading')}</option>
          ${(units || []).map((u) => html`<option key=${u.unit_id} value=${u.unit_id}>${u.unit_name}（${u.reason}）</option>`)}
        </select>
      </${Field}>
      <${Field} id="redispatch-reason" label=${t('disp.field.reason')} required=${true} error=${fieldMessage(error, 'reason')}>
        <textarea id="redispatch-reason" rows="3" value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>
      </${Field}>
      <label class="check-row"><input type="checkbox" id="redispatch-urgent" checked=${urgent}
        onChange=${(e) => setUrgent(e.target.checked)} /><span>${t('disp.urgentHint')}</span></label>
    </div>
    ${error && !['unit_id', 'unit_ids', 'reason'].includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

// The authority's buttons on a dispatch: withdraw while live; re-dispatch unless it
// was resolved or already replaced. A breach or a refusal makes the offer prominent.
export function AuthorityActions({ d, replaced, onChanged }) {
  const [asking, setAsking] = useState(null);
  const breached = dispatchBreached(d, serverNow());
  const canRedispatch = d.status !== 'resolved' && !replaced;
  const offer = canRedispatch && (breached || d.status === 'declined');
  if (!LIVE.includes(d.status) && !canRedispatch) return null;
  return html`<div class="dispatch-actions">
    ${offer ? html`<div class="alert alert-error redispatch-offer" id=${`redispatch-offer-${d.id}`}>
      ${d.status === 'declined' ? t('disp.offerDeclined', { unit: d.unit_name }) : t('disp.offerBreach', { unit: d.unit_name })}
    </div>` : null}
    ${canRedispatch ? html`<button type="button" class=${offer ? 'btn btn-primary' : 'btn'} id=${`redispatch-${d.id}`}
      onClick=${() => setAsking('redispatch')}>${t('disp.redispatch')}</button>` : null}
    ${LIVE.includes(d.status) ? html`<button type="button" class="btn btn-danger-outline" id=${`withdraw-${d.id}`}
      onClick=${() => setAsking('withdraw')}>${t('disp.act.withdraw')}</button>` : null}
    ${asking === 'withdraw' ? html`<${ActionDialog} d=${d} action="withdraw" onCancel=${() => setAsking(null)}
      onDone=${(x) => { setAsking(null); onChanged(x); }} />` : null}
    ${asking === 'redispatch' ? html`<${RedispatchDialog} d=${d} onCancel=${() => setAsking(null)}
      onDone=${(x) => { setAsking(null); onChanged(x); }} />` : null}
  </div>`;
}

// One dispatch. show: 'unit' (the incident is the title) or 'incident' (the unit is);
// children: the buttons below.
export function DispatchCard({ d, show = 'incident', children }) {
  const breached = dispatchBreached(d, serverNow());
  return html`<section class=${`dispatch-card${breached ? ' dispatch-breached' : ''}`} data-dispatch-id=${d.id}
      data-status=${d.status} data-breached=${breached ? 'true' : 'false'} id=${`dispatch-${d.id}`}>
    <div class="dispatch-head">
      <div class="dispatch-title">
        ${show === 'unit'
          ? html`<a href=${`#/dispatches/${d.id}`} class="unit-link">${d.incident_title || t('inc.numbered', { id: d.incident_id })}</a>
              <${LevelBadge} level=${d.incident_level} />`
          : html`<strong>${d.unit_name}</strong>`}
        <${DispatchBadge} status=${d.status} id=${`dispatch-status-${d.id}`} />
        ${d.urgent ? html`<span class="badge badge-error">${t('disp.urgent')}</span>` : null}
        ${d.replaces ? html`<span class="badge badge-muted">${t('disp.replaces', { id: d.replaces })}</span>` : null}
        <span class="muted small">${t('disp.numbered', { id: d.id })}</span>
      </div>
      <${DispatchClocks} d=${d} />
    </div>
    ${d.instructions ? html`<div class="dispatch-instructions"><span class="muted">${t('disp.instructions')}：</span>${d.instructions}</div>` : null}
    <${Milestones} d=${d} />
    ${d.unit_notes ? html`<div class="dispatch-notes"><span class="muted">${t('disp.unitNotes')}：</span><span class="pre">${d.unit_notes}</span></div>` : null}
    ${children}
  </section>`;
}

// pages/drills.js - drills (演练): the authority sends a test alert to chosen units
// (or every live unit) through the notification outbox and follows who
// acknowledged and how fast, next to each unit's real dispatch acknowledgement
// median; a unit sees its pending drills and acknowledges with one click.
// #/drills (list, and the unit's pending ones), #/drills/:id (one drill).
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { navigate } from '../router.js';
import { ErrorBox, Notice, Loading, Field, Modal, EmptyRow, fieldMessage } from '../components/ui.js';
import { fmtApiTime, fmtDuration, loadUnitNames } from './worklog.js';

// While someone has not acknowledged, the drill page looks again this often.
const REFRESH_MS = 15000;

function SendDialog({ onClose, onSent }) {
  const [f, setF] = useState({ title: '', message: '', all: true, units: [] });
  const [units, setUnits] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    loadUnitNames().then(setUnits, setError);
  }, []);
  const set = (k, v) => {
    setF((x) => ({ ...x, [k]: v }));
    if (error && (error.field === k || (k === 'units' && error.field && error.field.startsWith('unit_ids')))) setError(null);
  };
  const toggle = (id, on) => set('units', on ? f.units.concat([id]) : f.units.filter((x) => x !== id));
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    const body = { title: f.title.trim() };
    if (f.message.trim()) body.message = f.message.trim();
    if (!f.all) body.unit_ids = f.units;
    setBusy(true);
    try {
      const { data } = await api.post('/api/v1/drills', body);
      onSent(data);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const unitsMsg = error && error.field && error.field.startsWith('unit_ids') ? fieldMessage(error, error.field) : '';
  const known = error && ['title', 'message'].includes(error.field);
  return html`<${Modal} title=${t('drill.newTitle')} onClose=${onClose}>
    <form id="drill-form" onSubmit=${submit} novalidate>
      ${error && !known && !unitsMsg ? html`<${ErrorBox} error=${error} />` : null}
      <div class="form-grid">
        <${Field} id="drill-title" label=${t('drill.titleField')} required=${true} error=${fieldMessage(error, 'title')} full=${true}>
          <input id="drill-title" maxlength="200" value=${f.title} onInput=${(e) => set('title', e.target.value)} />
        </${Field}>
        <${Field} id="drill-message" label=${t('drill.message')} error=${fieldMessage(error, 'message')} full=${true}>
          <textarea id="drill-message" rows="3" value=${f.message} onInput=${(e) => set('message', e.target.value)}></textarea>
        </${Field}>
        <fieldset class="field field-full drill-targets">
          <legend>${t('drill.targets')}</legend>
          <label class="check"><input type="radio" name="drill-to" id="drill-to-all" checked=${f.all}
            onChange=${() => set('all', true)} /> <span>${t('drill.allUnits')}</span></label>
          <label class="check"><input type="radio" name="drill-to" id="drill-to-chosen" checked=${!f.all}
            onChange=${() => set('all', false)} /> <span>${t('drill.chosenUnits')}</span>
            ${!f.all ? html`<span class="muted small">${t('drill.chosenCount', { n: f.units.length })}</span>` : null}</label>
          ${!f.all ? html`<div class="drill-unit-list" id="drill-units" role="group" aria-label=${t('drill.chooseUnits')}>
            ${units.map((u) => html`<label key=${u.id} class="check drill-unit">
              <input type="checkbox" id=${`drill-unit-${u.id}`} checked=${f.units.includes(u.id)}
                onChange=${(e) => toggle(u.id, e.target.checked)} /> <span>${u.name}</span></label>`)}
          </div>` : null}
          ${unitsMsg ? html`<div class="field-error" role="alert">${unitsMsg}</div>` : null}
        </fieldset>
      </div>
      <div class="modal-foot">
        <button type="button" class="btn" onClick=${onClose}>${t('common.cancel')}</button>
        <button type="submit" class="btn btn-primary" id="drill-send" disabled=${busy || (!f.all && f.units.length === 0)}>
          ${busy ? t('drill.sending') : t('drill.send')}</button>
      </div>
    </form>
  </${Modal}>`;
}

function AckButton({ drillId, onAcked, large }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const ack = async () => {
    setBusy(true);
    setError(null);
    try {
      const { data } = await api.post(`/api/v1/drills/${drillId}/ack`);
      onAcked(data);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<span class="drill-ack">
    <button type="button" class=${`btn btn-primary${large ? ' btn-large' : ''}`} id=${`drill-ack-${drillId}`}
      disabled=${busy} onClick=${ack}>${busy ? t('drill.acking') : `✓ ${t('drill.ack')}`}</button>
    <${ErrorBox} error=${error} />
  </span>`;
}

// --- the list ------------------------------------------------------------------------

// A unit's drills with its own target row each (the list does not carry it).
function UnitDrills({ items }) {
  const [details, setDetails] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  useEffect(() => {
    Promise.all(items.map((d) => api.get(`/api/v1/drills/${d.id}`).then((r) => r.data))).then(setDetails, setError);
  }, [items]);
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!details) return html`<${Loading} />`;
  const row = (d) => (d.targets || [])[0] || {};
  const pending = details.filter((d) => !row(d).acked_at);
  const onAcked = (id, target) => {
    setDetails((ds) => ds.map((d) => (d.id === id ? { ...d, targets: [target] } : d)));
    setNotice(t('drill.ackDone'));
  };
  return html`<div>
    ${notice ? html`<${Notice} kind="ok"><span id="drill-notice">${notice}</span></${Notice}>` : null}
    <section class="panel" id="drills-pending">
      <h3>${t('drill.pending')}</h3>
      ${pending.length === 0 ? html`<p class="muted" id="drills-none-pending">${t('drill.noPending')}</p>` : null}
      ${pending.map((d) => html`<div class="drill-card" key=${d.id} id=${`drill-pending-${d.id}`}>
        <div class="drill-card-body">
          <div class="drill-card-title"><a href=${`#/drills/${d.id}`}>${d.title}</a></div>
          ${d.message ? html`<div class="pre">${d.message}</div>` : null}
          <div class="muted small">${t('drill.notified_at')}：${fmtApiTime(row(d).notified_at || d.sent_at)}</div>
        </div>
        <${AckButton} drillId=${d.id} large=${true} onAcked=${(r) => onAcked(d.id, r)} />
      </div>`)}
    </section>
    <div class="table-wrap section-gap">
      <table class="table" id="drills-table">
        <thead><tr><th>${t('drill.titleField')}</th><th>${t('drill.notified_at')}</th>
          <th>${t('drill.acked_at')}</th><th>${t('drill.ack_ms')}</th></tr></thead>
        <tbody>
          ${details.map((d) => html`<tr key=${d.id} id=${`drill-row-${d.id}`}>
            <td><a class="unit-link" href=${`#/drills/${d.id}`}>${d.title}</a></td>
            <td class="nowrap">${fmtApiTime(row(d).notified_at || d.sent_at)}</td>
            <td class="nowrap drill-acked-at">${row(d).acked_at ? fmtApiTime(row(d).acked_at)
              : html`<span class="badge badge-warn">${t('drill.notAcked')}</span>`}</td>
            <td class="nowrap">${fmtDuration(row(d).ack_ms)}</td>
          </tr>`)}
          ${details.length === 0 ? html`<${EmptyRow} cols=${4} text=${t('drill.empty')} />` : null}
        </tbody>
      </table>
    </div>
  </div>`;
}

export function DrillsPage({ user }) {
  const manage = can.manageDrills(user);
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    api.getAll('/api/v1/drills').then(setItems, setError);
  }, []);

  const onSent = (drill) => {
    setSending(false);
    navigate(`#/drills/${drill.id}`);
  };

  const unit = user.role === 'unit';
  return html`<div class="page" id="drills-page">
    <div class="page-head">
      <div>
        <h2>${t('drill.title')}</h2>
        <div class="subhead">${unit ? t('drill.unitSubtitle') : t('drill.subtitle')}</div>
      </div>
      <div class="actions">
        ${manage ? html`<button type="button" class="btn btn-primary" id="drill-new" onClick=${() => setSending(true)}>
          ＋ ${t('drill.new')}</button>` : null}
      </div>
    </div>
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items && unit ? html`<${UnitDrills} items=${items} />` : null}
    ${items && !unit ? html`<div class="table-wrap">
      <table class="table" id="drills-table">
        <thead><tr><th>${t('drill.titleField')}</th><th>${t('drill.sent_at')}</th>
          <th class="num">${t('drill.acked')}</th></tr></thead>
        <tbody>
          ${items.map((d) => html`<tr key=${d.id} id=${`drill-row-${d.id}`}>
            <td><a class="unit-link" href=${`#/drills/${d.id}`}>${d.title}</a></td>
            <td class="nowrap">${fmtApiTime(d.sent_at)}</td>
            <td class="num"><span class=${d.acked_count < d.targets_count ? 'text-warn' : 'text-good'}>
              ${t('drill.ackedOf', { a: d.acked_count, n: d.targets_count })}</span></td>
          </tr>`)}
          ${items.length === 0 ? html`<${EmptyRow} cols=${3} text=${t('drill.empty')} />` : null}
        </tbody>
      </table>
    </div>` : null}
    ${sending ? html`<${SendDialog} onClose=${() => setSending(false)} onSent=${onSent} />` : null}
  </div>`;
}

// --- one drill ------------------------------------------------------------------------

export function DrillPage({ user, id }) {
  const [drill, setDrill] = useState(null);
  const [error, setError] = useState(null);
  const timer = useRef(null);

  const load = () => api.get(`/api/v1/drills/${id}`).then((r) => setDrill(r.data), setError);
  useEffect(() => {
    load();
    return () => clearTimeout(timer.current);
  }, [id]);

  const targets = (drill && drill.targets) || [];
  const pending = targets.filter((r) => !r.acked_at).length;
  // Acknowledgements arrive while the authority watches: look again until all are in.
  useEffect(() => {
    clearTimeout(timer.current);
    if (drill && pending > 0 && user.role !== 'unit') timer.current = setTimeout(load, REFRESH_MS);
  }, [drill]);

  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  if (!drill) return html`<div class="page"><${Loading} /></div>`;
  const acked = targets.length - pending;
  const onAcked = (row) => setDrill((d) => ({ ...d, targets: d.targets.map((r) => (r.unit_id === row.unit_id ? row : r)) }));
  const canAck = can.ackDrill(user);
  return html`<div class="page" id="drill-page" data-drill-id=${drill.id}>
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/drills">${t('drill.title')}</a> / ${drill.title}</div>
        <h2 id="drill-title-h">${drill.title}</h2>
        <div class="subhead">
          <span>${t('drill.sent_at')}：${fmtApiTime(drill.sent_at)}</span>
          <span id="drill-acked-count">${t('drill.acked')}：${t('drill.ackedOf', { a: acked, n: targets.length })}</span>
        </div>
      </div>
      <div class="actions">
        <button type="button" class="btn" id="drill-reload" onClick=${load}>${t('common.reload')}</button>
      </div>
    </div>
    ${drill.message ? html`<section class="panel"><div class="pre" id="drill-message-text">${drill.message}</div></section>` : null}
    <p class="hint">${t('drill.compareHint')}</p>
    <div class="table-wrap">
      <table class="table" id="drill-targets">
        <thead><tr>
          <th>${t('drill.unitName')}</th><th>${t('drill.notified_at')}</th><th>${t('drill.acked_at')}</th>
          <th class="num">${t('drill.ack_ms')}</th>
          <th class="num">${t('drill.dispatchMedian')}</th>
        </tr></thead>
        <tbody>
          ${targets.map((r) => html`<tr key=${r.unit_id} id=${`drill-target-${r.unit_id}`} data-acked=${r.acked_at ? 'true' : 'false'}
              class=${r.acked_at ? '' : 'row-fail'}>
            <td>${can.readAllObligations(user) ? html`<a href=${`#/obligations/${r.unit_id}`}>${r.unit_name}</a>` : r.unit_name}</td>
            <td class="nowrap">${fmtApiTime(r.notified_at)}</td>
            <td class="nowrap target-acked-at">${r.acked_at ? fmtApiTime(r.acked_at)
              : canAck ? html`<${AckButton} drillId=${drill.id} onAcked=${onAcked} />`
              : html`<span class="badge badge-warn">${t('drill.notAcked')}</span>`}</td>
            <td class="num nowrap target-ack-ms">${fmtDuration(r.ack_ms)}</td>
            <td class="num nowrap target-median">${r.dispatch_ack_median_ms !== null && r.dispatch_ack_median_ms !== undefined
              ? html`${fmtDuration(r.dispatch_ack_median_ms)} <span class="muted small">${t('drill.dispatchAcks', { n: r.dispatch_acks })}</span>`
              : html`<span class="muted small">${t('drill.noDispatchAcks')}</span>`}</td>
          </tr>`)}
          ${targets.length === 0 ? html`<${EmptyRow} cols=${5} />` : null}
        </tbody>
      </table>
    </div>
  </div>`;
}

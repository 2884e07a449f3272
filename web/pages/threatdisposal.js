// pages/threatdisposal.js - on an accepted threat report, the authority's disposal
// plan: who owns which of the report's values (its indicators, the five-tuples'
// addresses, the C&C addresses) with their contacts, what nobody owns, and sending
// the disposal notices (处置通知) with a deadline, optionally overriding the
// measure; below, the notices already sent for the report.
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { fmtTime, fromLocalInput } from '../format.js';
import { ErrorBox, Loading, EmptyRow, Field, Notice, fieldMessage } from '../components/ui.js';
import {
  MEASURES, BLOCKS, measureName, blockName, roleName, typeName, kindName, contactRoleName, DisposalStatusBadge,
} from './threatmodel.js';

export function MatchedList({ matched }) {
  return html`<ul class="plain-list matched-list">
    ${(matched || []).map((m, i) => html`<li key=${i}><span class="mono">${m.value}</span>
      <span class="muted small">${typeName(m.type)}${m.role ? ` · ${roleName(m.role)}` : ''}</span></li>`)}
  </ul>`;
}

export function Contacts({ contacts }) {
  return html`<ul class="plain-list">
    ${(contacts || []).map((c, i) => html`<li key=${i}><span class="badge badge-muted">${contactRoleName(c.role)}</span>
      ${c.name ? ` ${c.name}` : ''} ${c.email ? html`<span class="mono small">${c.email}</span>` : null}</li>`)}
  </ul>`;
}

// The notices sent for one report (everyone who may read notices sees these).
export function ReportNotices({ report, refresh }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api.getAll('/api/v1/disposals', { threat_report_id: report.id }).then(setItems, setError);
  }, [report.id, refresh]);
  return html`<section class="panel" id="report-notices">
    <h3>${t('dispo.sentForReport')}<span class="count">${items ? items.length : ''}</span></h3>
    <${ErrorBox} error=${error} />
    ${items ? html`<div class="table-wrap"><table class="table table-compact" id="report-notices-table">
      <thead><tr><th>${t('dispo.constituent')}</th><th>${t('dispo.status')}</th><th>${t('dispo.deadline_at')}</th><th>${t('dispo.sent_at')}</th></tr></thead>
      <tbody>
        ${items.map((n) => html`<tr key=${n.id} data-notice-id=${n.id} class=${n.overdue ? 'row-breach' : ''}>
          <td><a class="unit-link" href=${`#/disposals/${n.id}`}>${n.constituent_name}</a></td>
          <td><${DisposalStatusBadge} status=${n.status} overdue=${n.overdue} /></td>
          <td class="nowrap">${fmtTime(n.deadline_at)}</td><td class="nowrap">${fmtTime(n.sent_at)}</td>
        </tr>`)}
        ${items.length === 0 ? html`<${EmptyRow} cols=${4} text=${t('dispo.noneSent')} />` : null}
      </tbody>
    </table></div>` : null}
  </section>`;
}

function SendForm({ report, plan, onSent }) {
  const open = plan.items.filter((x) => !x.already_notified).map((x) => x.constituent_id);
  const [picked, setPicked] = useState(open);
  const [mode, setMode] = useState('hours');
  const [hours, setHours] = useState('24');
  const [at, setAt] = useState('');
  const [override, setOverride] = useState(false);
  const d = report.disposal || {};
  const [measure, setMeasure] = useState(d.measure || 'other');
  const [blocks, setBlocks] = useState(d.blocks || []);
  const [text, setText] = useState(d.text || '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const toggle = (id, on) => setPicked((p) => (on ? p.concat([id]) : p.filter((x) => x !== id)));
  const send = async () => {
    const body = {};
    if (mode === 'hours') {
      if (!/^\d+$/.test(hours.trim())) {
        setError({ code: 'invalid', field: 'deadline_hours', message: t('err.notInteger'), local: true });
        return;
      }
      body.deadline_hours = Number(hours.trim());
    } else {
      const iso = fromLocalInput(at);
      if (!iso) {
        setError({ code: 'invalid', field: 'deadline_at', message: t('err.badTime'), local: true });
        return;
      }
      body.deadline_at = iso;
    }
    if (override) {
      body.measure = measure;
      if (measure === 'block_resource') body.blocks = blocks;
      if (text.trim()) body.text = text.trim();
    }
    // The server's default is every owner not yet told; name them only when chosen otherwise.
    const same = picked.length === open.length && open.every((x) => picked.includes(x));
    if (!same) body.constituent_ids = picked;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post(`/api/v1/threat-reports/${report.id}/disposals`, body);
      onSent(r.data);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<div class="disposal-send" id="disposal-send-form">
    <div class="table-wrap"><table class="table" id="disposal-plan-table">
      <thead><tr><th></th><th>${t('dispo.constituent')}</th><th>${t('cons.kind')}</th><th>${t('dispo.matched')}</th>
        <th class="num">${t('dispo.tuples')}</th><th>${t('dispo.recipients')}</th></tr></thead>
      <tbody>
        ${plan.items.map((x) => html`<tr key=${x.constituent_id} data-constituent-id=${x.constituent_id}
            class=${x.already_notified ? 'row-past' : ''}>
          <td><input type="checkbox" id=${`plan-pick-${x.constituent_id}`} aria-label=${x.constituent_name}
            checked=${picked.includes(x.constituent_id)} onChange=${(e) => toggle(x.constituent_id, e.target.checked)} /></td>
          <td><label for=${`plan-pick-${x.constituent_id}`}><a class="unit-link" href=${`#/constituents/${x.constituent_id}`}>${x.constituent_name}</a></label>
            ${x.already_notified ? html` <span class="badge badge-info" data-notified="true">${t('dispo.alreadyNotified')}</span>` : null}
            ${x.kind === 'government' || x.kind === 'cii' ? html` <span class="badge badge-warn">${t('dispo.superiorInformed')}</span>` : null}</td>
          <td>${kindName(x.kind)}</td>
          <td><${MatchedList} matched=${x.matched} /></td>
          <td class="num">${(x.five_tuples || []).length}</td>
          <td><${Contacts} contacts=${x.contacts} /></td>
        </tr>`)}
        ${plan.items.length === 0 ? html`<${EmptyRow} cols=${6} text=${t('dispo.noOwner')} />` : null}
      </tbody>
    </table></div>
    ${plan.unowned && plan.unowned.length ? html`<div class="sub-block" id="disposal-unowned">
      <h4 class="subhead-h">${t('dispo.unowned')}<span class="count">${plan.unowned.length}</span></h4>
      <p class="hint">${t('dispo.unownedHint')}</p>
      <${MatchedList} matched=${plan.unowned} /></div>` : null}
    ${plan.items.length ? html`<div class="form-grid section-gap">
      <${Field} id="disposal-deadline-mode" label=${t('dispo.deadline')} required=${true}
          error=${fieldMessage(error, 'deadline_hours') || fieldMessage(error, 'deadline_at')}>
        <div class="inline-inputs">
          <select id="disposal-deadline-mode" value=${mode} onChange=${(e) => setMode(e.target.value)}>
            <option value="hours">${t('dispo.withinHours')}</option><option value="at">${t('dispo.byTime')}</option>
          </select>
          ${mode === 'hours' ? html`<input id="disposal-hours" class="input-short" inputmode="numeric" value=${hours}
              aria-label=${t('dispo.hours')} onInput=${(e) => setHours(e.target.value)} /><span>${t('dispo.hours')}</span>`
            : html`<input id="disposal-at" type="datetime-local" value=${at} aria-label=${t('dispo.byTime')} onInput=${(e) => setAt(e.target.value)} />`}
        </div>
      </${Field}>
      <div class="field field-button">
        <label class="check-row"><input type="checkbox" id="disposal-override" checked=${override}
          onChange=${(e) => setOverride(e.target.checked)} /><span>${t('dispo.override')}</span></label>
      </div>
      ${override ? html`<${Field} id="disposal-measure" label=${t('threat.disposal.measure')} error=${fieldMessage(error, 'measure')}>
          <select id="disposal-measure" value=${measure} onChange=${(e) => setMeasure(e.target.value)}>
            ${MEASURES.map((m) => html`<option key=${m} value=${m}>${measureName(m)}</option>`)}
          </select></${Field}>
        ${measure === 'block_resource' ? html`<${Field} id="disposal-blocks" label=${t('threat.disposal.blocks')} wide=${true}
            error=${fieldMessage(error, 'blocks', true)}>
          <div class="check-group">${BLOCKS.map((b) => html`<label class="check-row" key=${b}><input type="checkbox"
            id=${`disposal-block-${b}`} checked=${blocks.includes(b)}
            onChange=${(e) => setBlocks((p) => (e.target.checked ? p.concat([b]) : p.filter((x) => x !== b)))} /><span>${blockName(b)}</span></label>`)}</div>
        </${Field}>` : null}
        <${Field} id="disposal-text" label=${t('threat.disposal.text')} full=${true} error=${fieldMessage(error, 'text')}>
          <textarea id="disposal-text" rows="3" value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
        </${Field}>` : null}
    </div>
    <div class="form-actions-inline section-gap">
      <button type="button" class="btn btn-primary" id="disposal-send" disabled=${busy || !picked.length}
        onClick=${send}>${t('dispo.send', { n: picked.length })}</button>
    </div>` : null}
    ${error && !/^deadline_|^measure$|^blocks|^text$/.test(error.field || '') ? html`<${ErrorBox} error=${error} />` : null}
  </div>`;
}

export function DisposalPanel({ report }) {
  const [plan, setPlan] = useState(null);
  const [error, setError] = useState(null);
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState(null);
  const load = useCallback(() => api.get(`/api/v1/threat-reports/${report.id}/disposal-plan`).then((r) => {
    setPlan(r.data);
    setError(null);
  }, setError), [report.id]);
  useEffect(() => { load(); }, [report.id]);
  const sent = (res) => {
    setResult(res);
    load();
    setTick((n) => n + 1);
  };
  return html`<div id="disposal-area">
    <section class="panel" id="disposal-plan">
      <h3>${t('dispo.plan')}</h3>
      <p class="hint">${t('dispo.planHint')}</p>
      <${ErrorBox} error=${error} />
      ${!plan && !error ? html`<${Loading} />` : null}
      ${result ? html`<div id="disposal-result"><${Notice} kind="ok">${t('dispo.sent', { n: result.items.length })}
        ${(result.skipped || []).length ? html`<ul class="plain-list">${result.skipped.map((x) => html`<li key=${x.constituent_id}>
          ${t('dispo.skipped', { id: x.constituent_id, reason: x.reason })}</li>`)}</ul>` : null}</${Notice}></div>` : null}
      ${plan ? html`<${SendForm} report=${report} plan=${plan} onSent=${sent} key=${tick} />` : null}
    </section>
    <${ReportNotices} report=${report} refresh=${tick} />
  </div>`;
}

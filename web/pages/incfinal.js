// pages/incfinal.js - an incident's final report (事件总结: cause, impact, measures,
// accountability, rectification, lessons — all six are needed to close) and its
// links: the parent incident, the child incidents, and merging this one into
// another as a duplicate (its history kept). Changes go with If-Match.
import { html, useState } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Field, fieldMessage, Notice, EmptyRow, ConfirmDialog } from '../components/ui.js';
import { StatusBadge, LevelBadge } from './incmodel.js';

export const FINAL_ITEMS = ['cause', 'impact', 'measures', 'accountability', 'rectification', 'lessons'];

const filled = (s) => typeof s === 'string' && s.replace(/[\s\u3000]/g, '') !== '';

export function FinalReportPanel({ inc, etag, user, onSaved }) {
  const stored = inc.final_report || {};
  const [f, setF] = useState(() => Object.fromEntries(FINAL_ITEMS.map((k) => [k, stored[k] || ''])));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const editable = can.manageIncidents(user) && !inc.merged_into && inc.status !== 'closed';
  const complete = FINAL_ITEMS.every((k) => filled(stored[k]));
  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(false);
    const body = Object.fromEntries(FINAL_ITEMS.map((k) => [k, f[k].trim() ? f[k] : null]));
    try {
      const r = await api.put(`/api/v1/incidents/${inc.id}/final-report`, body, { ifMatch: etag });
      setSaved(true);
      onSaved(r.data, r.etag);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="panel" id="final-report-panel">
    <div class="section-head"><h3>${t('final.title')}</h3>
      <span class=${complete ? 'badge badge-ok' : 'badge badge-warn'} id="final-state" data-complete=${complete ? 'true' : 'false'}>
        ${complete ? `✓ ${t('final.complete')}` : t('final.incomplete', { n: FINAL_ITEMS.filter((k) => filled(stored[k])).length })}</span></div>
    <p class="hint">${t('final.hint')}</p>
    <div class="form-grid form-grid-2">
      ${FINAL_ITEMS.map((k) => html`<${Field} key=${k} id=${`final-${k}`} label=${t(`final.${k}`)} required=${true}
          error=${fieldMessage(error, k)}>
        ${editable ? html`<textarea id=${`final-${k}`} rows="4" value=${f[k]} maxlength="10000"
            onInput=${(e) => setF((x) => ({ ...x, [k]: e.target.value }))}></textarea>`
          : html`<div class="text-block pre" id=${`final-${k}`}>${stored[k] || html`<span class="muted">${t('common.none')}</span>`}</div>`}
      </${Field}>`)}
    </div>
    ${editable ? html`<div class="form-actions-inline section-gap">
      <button type="button" class="btn btn-primary" id="final-save" disabled=${busy} onClick=${save}>${busy ? t('common.saving') : t('common.save')}</button>
      ${saved ? html`<span class="badge badge-ok" id="final-saved">${t('common.saved')}</span>` : null}
    </div>` : null}
    ${error && !FINAL_ITEMS.includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
  </section>`;
}

function RelatedTable({ items, id, empty }) {
  return html`<div class="table-wrap"><table class="table table-compact" id=${id}>
    <thead><tr><th>${t('inc.id')}</th><th>${t('inc.title')}</th><th>${t('inc.level')}</th><th>${t('inc.status')}</th><th>${t('inc.updated_at')}</th></tr></thead>
    <tbody>
      ${items.map((i) => html`<tr key=${i.id} data-incident-id=${i.id}>
        <td class="mono">#${i.id}</td><td><a href=${`#/incidents/${i.id}`}>${i.title}</a></td>
        <td><${LevelBadge} level=${i.level} /></td><td><${StatusBadge} status=${i.status} /></td>
        <td class="nowrap">${fmtTime(i.updated_at)}</td></tr>`)}
      ${items.length === 0 ? html`<${EmptyRow} cols=${5} text=${empty} />` : null}
    </tbody>
  </table></div>`;
}

export function LinksPanel({ inc, etag, user, onSaved }) {
  const manage = can.manageIncidents(user) && !inc.merged_into;
  const [parent, setParent] = useState(inc.parent_id ? String(inc.parent_id) : '');
  const [into, setInto] = useState('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (fn) => {
    setBusy(true);
    setError(null);
    try {
      const r = await fn();
      setConfirming(false);
      onSaved(r.data, r.etag);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const num = (s) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());
  const saveParent = () => run(() => api.patch(`/api/v1/incidents/${inc.id}`, { parent_id: parent.trim() ? num(parent) : null }, { ifMatch: etag }));
  const merge = () => run(() => api.post(`/api/v1/incidents/${inc.id}/merge`, { into: num(into), reason: reason.trim() || undefined }, { ifMatch: etag }));
  return html`<div>
    <section class="panel" id="links-panel">
      <h3>${t('links.title')}</h3>
      <${Field} id="link-parent" label=${t('links.parent')} error=${fieldMessage(error, 'parent_id')} hint=${t('links.parentHint')}>
        ${manage ? html`<div class="form-actions-inline">
            <input id="link-parent" class="input-id" inputmode="numeric" value=${parent} placeholder="#" onInput=${(e) => setParent(e.target.value)} />
            <button type="button" class="btn" id="link-parent-save" disabled=${busy} onClick=${saveParent}>${t('common.save')}</button>
            ${inc.parent_id ? html`<a class="btn" href=${`#/incidents/${inc.parent_id}`}>${t('links.open', { id: inc.parent_id })}</a>` : null}
          </div>`
          : inc.parent_id ? html`<a href=${`#/incidents/${inc.parent_id}`}>#${inc.parent_id}</a>` : html`<span class="muted">${t('common.none')}</span>`}
      </${Field}>
      <h4 class="subhead-h">${t('links.children')}</h4>
      <${RelatedTable} items=${inc.children || []} id="children-table" empty=${t('links.noChildren')} />
      <h4 class="subhead-h">${t('links.merged')}</h4>
      <${RelatedTable} items=${inc.merged || []} id="merged-table" empty=${t('links.noMerged')} />
    </section>
    ${manage && inc.status !== 'closed' ? html`<section class="panel" id="merge-panel">
      <h3>${t('links.mergeTitle')}</h3>
      <p class="hint">${t('links.mergeHint')}</p>
      <div class="form-grid">
        <${Field} id="merge-into" label=${t('links.into')} required=${true} error=${fieldMessage(error, 'into')}>
          <input id="merge-into" inputmode="numeric" value=${into} onInput=${(e) => setInto(e.target.value)} />
        </${Field}>
        <${Field} id="merge-reason" label=${t('links.reason')} wide=${true} error=${fieldMessage(error, 'reason')}>
          <input id="merge-reason" value=${reason} onInput=${(e) => setReason(e.target.value)} />
        </${Field}>
        <div class="field field-button"><button type="button" class="btn btn-danger-outline" id="merge-open"
          disabled=${!into.trim()} onClick=${() => setConfirming(true)}>${t('links.merge')}</button></div>
      </div>
    </section>` : null}
    ${inc.merged_into ? html`<${Notice} kind="warn">${t('inc.mergedNotice')} #${inc.merged_into}</${Notice}>` : null}
    ${error && !['parent_id', 'into', 'reason'].includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
    ${confirming ? html`<${ConfirmDialog} title=${t('links.mergeTitle')} message=${t('links.mergeConfirm', { id: inc.id, into })}
      confirmLabel=${t('links.merge')} danger=${true} busy=${busy} error=${error} onConfirm=${merge}
      onCancel=${() => setConfirming(false)} />` : null}
  </div>`;
}

// pages/intelfeeds.js - scheduled indicator feeds (情报源): each feed's source,
// format, interval and the state of its last run (ok / not modified / error, what
// it imported); the authority adds feeds, turns them on and off, deletes them and
// runs one now; the run history of a feed opens under its row.
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow, Field, Modal, ConfirmDialog, fieldMessage } from '../components/ui.js';
import { FEED_FORMATS, CATEGORIES, TLPS, feedFormatName, categoryName, tlpName } from './threatmodel.js';
import { IntelNav } from './intelindicators.js';

const STATUS_TONE = { ok: 'ok', not_modified: 'info', error: 'error' };

function LastStatus({ f }) {
  if (f.running) return html`<span class="badge badge-info" data-status="running">${t('feed.running')}</span>`;
  if (!f.last_status) return html`<span class="muted">${t('feed.never')}</span>`;
  return html`<span class=${`badge badge-${STATUS_TONE[f.last_status] || 'muted'}`} data-status=${f.last_status}>${t(`feed.status.${f.last_status}`)}</span>`;
}

function Counts({ c }) {
  if (!c || typeof c !== 'object') return null;
  const keys = ['objects', 'imported', 'merged', 'flagged', 'problems'].filter((k) => c[k] !== undefined);
  return html`<span class="muted small">${keys.map((k) => `${t(`imp.${k}`)} ${c[k]}`).join(' · ')}</span>`;
}

function Runs({ feed }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api.get(`/api/v1/feeds/${feed.id}/runs`, { limit: 20 }).then((r) => setItems(r.data.items), setError);
  }, [feed.id, feed.last_run_at]);
  return html`<div class="feed-runs" id=${`feed-runs-${feed.id}`}>
    <${ErrorBox} error=${error} />
    ${items ? html`<table class="table table-compact">
      <thead><tr><th>${t('feed.run.started')}</th><th>${t('feed.lastStatus')}</th><th>${t('imp.result')}</th><th>${t('feed.error')}</th></tr></thead>
      <tbody>
        ${items.map((r, i) => html`<tr key=${r.id || i}><td class="nowrap">${fmtTime(r.started_at || r.at)}</td>
          <td><${LastStatus} f=${{ last_status: r.status }} /></td><td><${Counts} c=${r.counts} /></td>
          <td class="small">${r.error || ''}${(r.problems || []).map((p, j) => html`<div key=${j} class="muted">${p.where}: ${p.reason}</div>`)}</td></tr>`)}
        ${items.length === 0 ? html`<${EmptyRow} cols=${4} />` : null}
      </tbody>
    </table>` : null}
  </div>`;
}

const EMPTY = { name: '', source: '', format: 'stix', columns: '', interval_minutes: '60', enabled: true,
  category: '', tlp: '', confidence: '', valid_days: '' };

function FeedDialog({ onDone, onCancel }) {
  const [f, setF] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const set = (k, v) => setF((x) => ({ ...x, [k]: v }));
  const go = async () => {
    const body = { name: f.name.trim(), source: f.source.trim(), format: f.format, enabled: f.enabled };
    const ints = [['interval_minutes', f.interval_minutes], ['confidence', f.confidence], ['valid_days', f.valid_days]];
    for (const [k, v] of ints) {
      if (v.trim() && !/^\d+$/.test(v.trim())) {
        setError({ code: 'invalid', field: k === 'interval_minutes' ? k : `defaults.${k}`, message: t('err.notInteger'), local: true });
        return;
      }
    }
    if (f.interval_minutes.trim()) body.interval_minutes = Number(f.interval_minutes);
    if (f.format === 'csv' && f.columns.trim()) body.columns = f.columns.trim();
    const defaults = {};
    if (f.category) defaults.category = f.category;
    if (f.tlp) defaults.tlp = f.tlp;
    if (f.confidence.trim()) defaults.confidence = Number(f.confidence);
    if (f.valid_days.trim()) defaults.valid_days = Number(f.valid_days);
    if (Object.keys(defaults).length) body.defaults = defaults;
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/feeds', body);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const input = (k, label, opts = {}) => html`<${Field} id=${`feed-${k}`} label=${label} required=${opts.required}
      error=${fieldMessage(error, opts.field || k)} hint=${opts.hint} wide=${opts.wide}>
    <input id=${`feed-${k}`} class=${opts.mono ? 'mono' : ''} value=${f[k]} placeholder=${opts.placeholder || ''}
      onInput=${(e) => set(k, e.target.value)} /></${Field}>`;
  const known = ['name', 'source', 'format', 'columns', 'interval_minutes'];
  return html`<${Modal} title=${t('feed.new')} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn btn-primary" id="feed-create" disabled=${busy} onClick=${go}>${t('common.save')}</button>`}>
    <div class="form-grid form-grid-2">
      ${input('name', t('feed.name'), { required: true })}
      <${Field} id="feed-format" label=${t('feed.format')} required=${true} error=${fieldMessage(error, 'format')}>
        <select id="feed-format" value=${f.format} onChange=${(e) => set('format', e.target.value)}>
          ${FEED_FORMATS.map((x) => html`<option key=${x} value=${x}>${feedFormatName(x)}</option>`)}
        </select></${Field}>
      ${input('source', t('feed.source'), { required: true, mono: true, wide: true, placeholder: 'https://… / file:///srv/feeds/list.txt', hint: t('feed.sourceHint') })}
      ${f.format === 'csv' ? input('columns', t('feed.columns'), { mono: true, wide: true, placeholder: 'value,type,category', hint: t('feed.columnsHint') }) : null}
      ${input('interval_minutes', t('feed.interval'), { hint: t('feed.intervalHint') })}
      <div class="field field-button"><label class="check-row"><input type="checkbox" id="feed-enabled" checked=${f.enabled}
        onChange=${(e) => set('enabled', e.target.checked)} /><span>${t('feed.enabled')}</span></label></div>
      <${Field} id="feed-category" label=${t('feed.defaultCategory')} error=${fieldMessage(error, 'defaults.category')}>
        <select id="feed-category" value=${f.category} onChange=${(e) => set('category', e.target.value)}>
          <option value="">${t('common.none')}</option>
          ${CATEGORIES.map((x) => html`<option key=${x} value=${x}>${categoryName(x)}</option>`)}
        </select></${Field}>
      <${Field} id="feed-tlp" label=${t('feed.defaultTlp')} error=${fieldMessage(error, 'defaults.tlp')}>
        <select id="feed-tlp" value=${f.tlp} onChange=${(e) => set('tlp', e.target.value)}>
          <option value="">${t('common.none')}</option>
          ${TLPS.map((x) => html`<option key=${x} value=${x}>${tlpName(x)}</option>`)}
        </select></${Field}>
      ${input('confidence', t('feed.defaultConfidence'), { field: 'defaults.confidence', hint: '0–100' })}
      ${input('valid_days', t('feed.validDays'), { field: 'defaults.valid_days' })}
    </div>
    ${error && !known.includes(error.field) && !(error.field || '').startsWith('defaults') ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

export function FeedsPage({ user }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [adding, setAdding] = useState(false);
  const [deleting, setDeleting] = useState(null);
  const [open, setOpen] = useState(null);
  const [running, setRunning] = useState(null);
  const load = useCallback(() => api.get('/api/v1/feeds', { limit: 200 }).then((r) => {
    setItems(r.data.items);
  }, setError), []);
  useEffect(() => { load(); }, []);
  const manage = can.manageFeeds(user);
  const run = async (f) => {
    setRunning(f.id);
    setError(null);
    try {
      await api.post(`/api/v1/feeds/${f.id}/run`, {});
    } catch (e) {
      setError(e);
    }
    setRunning(null);
    load();
  };
  const toggle = async (f, enabled) => {
    setError(null);
    try {
      await api.patch(`/api/v1/feeds/${f.id}`, { enabled }, { ifMatch: `"${f.version}"` });
    } catch (e) {
      setError(e);
    }
    load();
  };
  const remove = async () => {
    try {
      await api.del(`/api/v1/feeds/${deleting.id}`, { ifMatch: `"${deleting.version}"` });
      setDeleting(null);
      load();
    } catch (e) {
      setError(e);
      setDeleting(null);
    }
  };
  return html`<div class="page page-wide" id="feeds-page">
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/indicators">${t('nav.indicators')}</a></div>
        <h2>${t('feed.title')}</h2>
        <div class="subhead">${t('feed.subtitle')}</div>
      </div>
      <div class="actions">
        <button type="button" class="btn" id="feeds-refresh" onClick=${load}>${t('common.reload')}</button>
        ${manage ? html`<button type="button" class="btn btn-primary" id="feed-new" onClick=${() => setAdding(true)}>＋ ${t('feed.new')}</button>` : null}
      </div>
    </div>
    <${IntelNav} user=${user} active="feeds" />
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<div class="table-wrap"><table class="table" id="feeds-table">
      <thead><tr><th>${t('feed.name')}</th><th>${t('feed.format')}</th><th>${t('feed.interval')}</th><th>${t('feed.lastRun')}</th>
        <th>${t('feed.lastStatus')}</th><th>${t('feed.nextRun')}</th><th>${t('feed.enabled')}</th><th>${t('common.actions')}</th></tr></thead>
      <tbody>
        ${items.map((f) => html`<tr key=${f.id} data-feed-id=${f.id} class=${f.last_status === 'error' ? 'row-breach' : ''}>
          <td><strong>${f.name}</strong><div class="mono small muted break">${f.source}</div></td>
          <td>${feedFormatName(f.format)}${f.columns ? html`<div class="mono small muted break" id=${`feed-columns-${f.id}`}
            title=${t('feed.columns')}>${f.columns}</div>` : null}</td>
          <td class="nowrap">${t('feed.everyMin', { n: f.interval_minutes })}</td>
          <td class="nowrap">${fmtTime(f.last_run_at)}</td>
          <td><${LastStatus} f=${f} />${f.last_error ? html`<div class="small text-error">${f.last_error}</div>` : null}
            <div><${Counts} c=${f.last_counts} /></div></td>
          <td class="nowrap">${f.enabled ? fmtTime(f.next_run_at) : ''}</td>
          <td>${manage ? html`<input type="checkbox" id=${`feed-enabled-${f.id}`} aria-label=${t('feed.enabled')} checked=${f.enabled}
              onChange=${(e) => toggle(f, e.target.checked)} />` : f.enabled ? t('common.yes') : t('common.no')}</td>
          <td><div class="row-actions">
            ${manage ? html`<button type="button" class="btn btn-small" id=${`feed-run-${f.id}`} disabled=${running === f.id}
              onClick=${() => run(f)}>${running === f.id ? t('feed.running') : t('feed.runNow')}</button>` : null}
            <button type="button" class="btn btn-small" onClick=${() => setOpen(open === f.id ? null : f.id)}>${t('feed.runs')}</button>
            ${manage ? html`<button type="button" class="btn btn-small btn-danger-outline" onClick=${() => setDeleting(f)}>${t('common.delete')}</button>` : null}
          </div>
          ${open === f.id ? html`<${Runs} feed=${f} />` : null}</td>
        </tr>`)}
        ${items.length === 0 ? html`<${EmptyRow} cols=${8} text=${t('feed.empty')} />` : null}
      </tbody>
    </table></div>` : null}
    ${adding ? html`<${FeedDialog} onCancel=${() => setAdding(false)} onDone=${() => { setAdding(false); load(); }} />` : null}
    ${deleting ? html`<${ConfirmDialog} title=${t('feed.deleteTitle')} message=${t('feed.deleteConfirm', { name: deleting.name })}
      confirmLabel=${t('common.delete')} danger=${true} onConfirm=${remove} onCancel=${() => setDeleting(null)} />` : null}
  </div>`;
}

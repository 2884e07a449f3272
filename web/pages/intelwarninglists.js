// pages/intelwarninglists.js - the warning lists (误报过滤名单): MISP warning lists of
// values known not to be malicious (public resolvers, CDN ranges, big sites). An
// indicator an enabled list covers is stored flagged and never served. The
// authority uploads a list (one of the same name is replaced) and turns lists on
// and off; auditors read.
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow, Notice } from '../components/ui.js';
import { IntelNav } from './intelindicators.js';

const MAX_LIST = 16 * 1024 * 1024;

export function WarningListsPage({ user }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState(null);
  const load = useCallback(() => api.get('/api/v1/warninglists').then((r) => {
    setItems(r.data.items);
    setError(null);
  }, setError), []);
  useEffect(() => { load(); }, []);
  const manage = can.manageWarningLists(user);

  const upload = async (e) => {
    const file = (e.target.files || [])[0];
    e.target.value = '';
    if (!file) return;
    setError(null);
    setAdded(null);
    if (file.size === 0 || file.size > MAX_LIST) {
      setError({ code: 'invalid', message: '', title: t(file.size ? 'wl.tooLarge' : 'imp.emptyFile') });
      return;
    }
    let body;
    try {
      body = JSON.parse(await file.text());
    } catch (err) {
      setError({ code: 'invalid', message: String(err.message || err), title: t('wl.notJson', { name: file.name }) });
      return;
    }
    setBusy(true);
    try {
      const r = await api.post('/api/v1/warninglists', body);
      setAdded(r.data);
      await load();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const toggle = async (w, enabled) => {
    setError(null);
    try {
      await api.patch(`/api/v1/warninglists/${w.id}`, { enabled }, { ifMatch: `"${w.version}"` });
    } catch (err) {
      setError(err);
    }
    load();
  };
  return html`<div class="page page-wide" id="warninglists-page">
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/indicators">${t('nav.indicators')}</a></div>
        <h2>${t('wl.title')}</h2>
        <div class="subhead">${t('wl.subtitle')}</div>
      </div>
      ${manage ? html`<div class="actions">
        <label class="btn btn-primary" for="wl-upload">${busy ? t('attach.uploading') : `＋ ${t('wl.upload')}`}</label>
        <input class="visually-hidden" type="file" id="wl-upload" accept=".json,application/json" aria-label=${t('wl.upload')} onChange=${upload} />
      </div>` : null}
    </div>
    <${IntelNav} user=${user} active="warninglists" />
    ${added ? html`<${Notice} kind="ok">${t('wl.added', { name: added.name, n: added.entries })}</${Notice}>` : null}
    ${error ? html`<${ErrorBox} error=${error.title ? (error.message ? error : null) : error} title=${error.title} />` : null}
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<div class="table-wrap"><table class="table" id="warninglists-table">
      <thead><tr><th>${t('wl.name')}</th><th>${t('wl.type')}</th><th class="num">${t('wl.entries')}</th>
        <th class="num">${t('wl.list_version')}</th><th>${t('threat.updated_at')}</th><th>${t('wl.enabled')}</th></tr></thead>
      <tbody>
        ${items.map((w) => html`<tr key=${w.id} data-list-id=${w.id} data-enabled=${w.enabled ? 'true' : 'false'} class=${w.enabled ? '' : 'row-past'}>
          <td><strong>${w.name}</strong>${w.description ? html`<div class="muted small">${w.description}</div>` : null}</td>
          <td>${t(`wl.typeName.${w.type}`)}${w.type === 'regex' ? html` <span class="badge badge-muted">${t('wl.regexNever')}</span>` : null}</td>
          <td class="num">${w.entries}</td>
          <td class="num">${w.list_version}</td>
          <td class="nowrap">${fmtTime(w.updated_at)}</td>
          <td>${manage ? html`<label class="check-row"><input type="checkbox" id=${`wl-enabled-${w.id}`} checked=${w.enabled}
              onChange=${(e) => toggle(w, e.target.checked)} /><span>${w.enabled ? t('wl.on') : t('wl.off')}</span></label>`
            : html`<span class=${w.enabled ? 'badge badge-ok' : 'badge badge-muted'}>${w.enabled ? t('wl.on') : t('wl.off')}</span>`}</td>
        </tr>`)}
        ${items.length === 0 ? html`<${EmptyRow} cols=${6} text=${t('wl.empty')} />` : null}
      </tbody>
    </table></div>` : null}
  </div>`;
}

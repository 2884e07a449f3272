// pages/audit.js - the audit log (authority and auditor): filters, paging,
// changes rendered as field: old → new.
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, has } from '../i18n.js';
import { fmtTimeSec, dayStartUtc } from '../format.js';
import { ErrorBox, EmptyRow, fieldMessage } from '../components/ui.js';
import { Changes } from '../components/changes.js';

const PAGE = 50;
const TYPES = ['unit', 'user', 'token', 'campaign', 'application', 'attachment', 'panel', 'objection', 'certificate', 'requalification'];

// Where an audited object can be opened.
const LINKS = {
  campaign: (id) => `#/campaigns/${id}`,
  application: (id) => `#/applications/${id}`,
  certificate: (id) => `#/certificates/${id}`,
  requalification: (id) => `#/requalification/${id}`,
};
const EMPTY = { object_type: '', object_id: '', actor: '', from: '', to: '' };

function objectCell(r) {
  const type = has(`audit.objType.${r.object_type}`) ? t(`audit.objType.${r.object_type}`) : r.object_type;
  if (r.object_type === 'unit' && r.object_id && r.action !== 'unit.delete') {
    return html`<a href=${`#/units/${r.object_id}`}>${type} #${r.object_id}</a>`;
  }
  if (LINKS[r.object_type] && r.object_id) {
    return html`<a href=${LINKS[r.object_type](r.object_id)}>${type} #${r.object_id}</a>`;
  }
  return html`<span>${type}${r.object_id ? ` #${r.object_id}` : ''}</span>`;
}

export function AuditPage() {
  const [draft, setDraft] = useState(EMPTY);
  const [filter, setFilter] = useState(EMPTY);
  const [items, setItems] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(null);
  const seq = useRef(0);

  useEffect(() => {
    api.reference('capability-fields').catch(() => {});
  }, []);

  const load = async (after) => {
    const my = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const { data } = await api.get('/api/v1/audit', {
        object_type: filter.object_type,
        object_id: filter.object_id,
        actor: filter.actor,
        from: filter.from ? dayStartUtc(filter.from) : undefined,
        to: filter.to ? dayStartUtc(filter.to, 1) : undefined,
        limit: PAGE,
        cursor: after || undefined,
      });
      if (my !== seq.current) return;
      setItems((prev) => (after ? prev.concat(data.items) : data.items));
      setCursor(data.next_cursor);
    } catch (e) {
      if (my === seq.current) setError(e);
    } finally {
      if (my === seq.current) setLoading(false);
    }
  };

  useEffect(() => {
    load(null);
  }, [filter]);

  const set = (k, v) => setDraft((d) => ({ ...d, [k]: v }));
  const submit = (e) => {
    e.preventDefault();
    setFilter({ ...draft, object_id: draft.object_id.trim(), actor: draft.actor.trim() });
  };
  const reset = () => {
    setDraft(EMPTY);
    setFilter(EMPTY);
  };

  return html`<div class="page">
    <div class="page-head"><h2>${t('audit.title')}</h2></div>
    <form class="filters filters-grid" onSubmit=${submit} role="search" id="audit-filters">
      <label class="filter-item"><span>${t('audit.object_type')}</span>
        <select id="audit-object_type" value=${draft.object_type} onChange=${(e) => set('object_type', e.target.value)}>
          <option value="">${t('audit.allTypes')}</option>
          ${TYPES.map((x) => html`<option key=${x} value=${x}>${t(`audit.objType.${x}`)}</option>`)}
        </select>
      </label>
      <label class="filter-item"><span>${t('audit.object_id')}</span>
        <input id="audit-object_id" value=${draft.object_id} onInput=${(e) => set('object_id', e.target.value)} />
      </label>
      <label class="filter-item"><span>${t('audit.actor')}</span>
        <input id="audit-actor" value=${draft.actor} onInput=${(e) => set('actor', e.target.value)} />
      </label>
      <label class="filter-item"><span>${t('audit.from')}</span>
        <input id="audit-from" type="date" value=${draft.from} onInput=${(e) => set('from', e.target.value)} />
      </label>
      <label class="filter-item"><span>${t('audit.to')}</span>
        <input id="audit-to" type="date" value=${draft.to} onInput=${(e) => set('to', e.target.value)} />
      </label>
      <div class="filter-buttons">
        <button type="submit" class="btn btn-primary" id="audit-search">${t('common.search')}</button>
        <button type="button" class="btn" onClick=${reset}>${t('common.reset')}</button>
      </div>
    </form>
    ${error ? html`<${ErrorBox} error=${error}>${error.field ? html`<div>${error.field}: ${fieldMessage(error, error.field)}</div>` : null}</${ErrorBox}>` : null}
    <div class="table-wrap">
      <table class="table table-audit" id="audit-table">
        <thead><tr>
          <th>${t('audit.seq')}</th><th>${t('audit.at')}</th><th>${t('audit.actor')}</th><th>${t('audit.source_ip')}</th>
          <th>${t('audit.action')}</th><th>${t('audit.object')}</th><th>${t('audit.changes')}</th>
        </tr></thead>
        <tbody>
          ${items.map((r) => html`<tr key=${r.seq} data-action=${r.action} data-object=${`${r.object_type}:${r.object_id || ''}`}>
            <td class="num muted">${r.seq}</td>
            <td class="nowrap">${fmtTimeSec(r.at)}</td>
            <td>${r.actor}</td>
            <td class="mono">${r.source_ip || ''}</td>
            <td class="nowrap"><span class=${`action action-${r.action.split('.')[1] || ''}`}>${has(`action.${r.action}`) ? t(`action.${r.action}`) : r.action}</span>
              <div class="muted small mono">${r.action}</div></td>
            <td class="nowrap">${objectCell(r)}</td>
            <td class="changes-cell"><${Changes} changes=${r.changes} objectType=${r.object_type} action=${r.action} /></td>
          </tr>`)}
          ${!loading && !error && items.length === 0 ? html`<${EmptyRow} cols=${7} text=${t('audit.empty')} />` : null}
        </tbody>
      </table>
    </div>
    <div class="list-foot">
      <span class="muted">${items.length ? t('common.total', { n: items.length }) : ''}</span>
      ${loading ? html`<span class="muted">${t('common.loading')}</span>` : null}
      ${cursor && !loading ? html`<button type="button" class="btn" id="audit-more" onClick=${() => load(cursor)}>${t('common.loadMore')}</button>` : null}
    </div>
  </div>`;
}

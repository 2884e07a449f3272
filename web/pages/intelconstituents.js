// pages/intelconstituents.js - the constituency (受保护对象): the organisations
// whose networks yingji looks after, with a box that says who owns an IP, range,
// domain, URL, e-mail address or AS number, and the list filtered by kind and name.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { ErrorBox, Loading, EmptyRow, Notice } from '../components/ui.js';
import { CONSTITUENT_KINDS, kindName, joined, paren } from './threatmodel.js';

function ResolveBox() {
  const [value, setValue] = useState('');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const go = async (e) => {
    e.preventDefault();
    const v = value.trim();
    if (!v) return;
    setError(null);
    setResult(null);
    const asn = /^(as)?(\d+)$/i.exec(v);
    try {
      const r = await api.get('/api/v1/constituents/resolve', asn ? { asn: asn[2] } : { value: v });
      setResult(r.data);
    } catch (err) {
      setError(err);
    }
  };
  return html`<section class="panel" id="cons-resolve">
    <h3>${t('cons.resolve')}</h3>
    <form class="lookup-form" onSubmit=${go}>
      <input id="resolve-value" class="mono lookup-input" value=${value} placeholder=${t('cons.resolveHint')}
        aria-label=${t('cons.resolve')} onInput=${(e) => setValue(e.target.value)} />
      <button type="submit" class="btn btn-primary" id="resolve-go">${t('cons.resolveGo')}</button>
    </form>
    <${ErrorBox} error=${error} />
    ${result ? html`<div id="resolve-result" data-owner-id=${result.owner ? result.owner.id : ''}>
      ${result.owner ? html`<${Notice} kind="ok">${t('cons.ownedBy')}
          <a class="unit-link" href=${`#/constituents/${result.owner.id}`}>${result.owner.name}</a>
          <span class="muted">${paren(kindName(result.owner.kind))}</span>
          ${result.matched ? html` · ${t('cons.matched')} <span class="mono">${result.matched}</span>` : null}</${Notice}>`
        : html`<${Notice} kind="warn">${t('cons.noOwner')}</${Notice}>`}
    </div>` : null}
  </section>`;
}

const few = (list, n = 3) => (list.length > n ? `${joined(list.slice(0, n))} …${paren(list.length)}` : joined(list));

export function ConstituentsPage({ user, query }) {
  const [filter, setFilterState] = useState(() => ({ kind: query && query.kind, q: query && query.q }));
  const [q, setQ] = useState((query && query.q) || '');
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [error, setError] = useState(null);
  const setFilter = (f) => {
    setFilterState(f);
    replaceQuery(f);
  };
  useEffect(() => {
    setItems(null);
    setError(null);
    api.get('/api/v1/constituents', { kind: filter.kind, q: filter.q, limit: 100 }).then((r) => {
      setItems(r.data.items);
      setCursor(r.data.next_cursor || null);
    }, setError);
  }, [filter.kind, filter.q]);
  const more = async () => {
    try {
      const r = await api.get('/api/v1/constituents', { kind: filter.kind, q: filter.q, limit: 100, cursor });
      setItems((prev) => prev.concat(r.data.items));
      setCursor(r.data.next_cursor || null);
    } catch (e) {
      setError(e);
    }
  };
  const search = (e) => {
    e.preventDefault();
    setFilter({ ...filter, q: q.trim() || undefined });
  };
  return html`<div class="page page-wide" id="constituents-page">
    <div class="page-head">
      <div>
        <h2>${t('cons.title')}</h2>
        <div class="subhead">${t('cons.subtitle')}</div>
      </div>
      ${can.manageConstituents(user) ? html`<div class="actions"><a class="btn btn-primary" id="constituent-new" href="#/constituents/new">＋ ${t('cons.new')}</a></div>` : null}
    </div>
    <${ResolveBox} />
    <form class="filters filters-grid" onSubmit=${search}>
      <label class="filter-item">${t('cons.kind')}
        <select id="cons-filter-kind" value=${filter.kind || ''} onChange=${(e) => setFilter({ ...filter, kind: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          ${CONSTITUENT_KINDS.map((k) => html`<option key=${k} value=${k}>${kindName(k)}</option>`)}
        </select></label>
      <label class="filter-item">${t('cons.name')}
        <input id="cons-filter-q" value=${q} onInput=${(e) => setQ(e.target.value)} /></label>
      <div class="filter-buttons">
        <button type="submit" class="btn btn-primary" id="cons-search">${t('common.search')}</button>
        <button type="button" class="btn" onClick=${() => { setQ(''); setFilter({}); }}>${t('common.reset')}</button>
      </div>
    </form>
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<div class="table-wrap"><table class="table" id="constituents-table">
      <thead><tr><th>${t('cons.name')}</th><th>${t('cons.kind')}</th><th>${t('cons.region')}</th><th>${t('cons.ranges')}</th>
        <th>${t('cons.asns')}</th><th>${t('cons.domains')}</th><th>${t('cons.contacts')}</th></tr></thead>
      <tbody>
        ${items.map((c) => html`<tr key=${c.id} data-constituent-id=${c.id}>
          <td><a class="unit-link" href=${`#/constituents/${c.id}`}>${c.name}</a></td>
          <td>${kindName(c.kind)}</td>
          <td>${[c.province, c.city].filter(Boolean).join(' · ')}</td>
          <td class="mono small">${few(c.ranges || [])}</td>
          <td class="mono small">${few((c.asns || []).map((a) => `AS${a}`))}</td>
          <td class="mono small">${few(c.domains || [])}</td>
          <td class="small">${few((c.contacts || []).map((x) => x.email || x.phone || ''))}</td>
        </tr>`)}
        ${items.length === 0 ? html`<${EmptyRow} cols=${7} text=${t('cons.empty')} />` : null}
      </tbody>
    </table></div>
    <div class="list-foot"><span class="muted">${t('common.total', { n: items.length })}</span>
      ${cursor ? html`<button type="button" class="btn" id="constituents-more" onClick=${more}>${t('common.loadMore')}</button>` : null}</div>` : null}
  </div>`;
}

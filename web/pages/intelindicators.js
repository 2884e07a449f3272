// pages/intelindicators.js - the indicator store (指标库): a lookup box (an IP,
// domain, URL or hash → every live indicator it matches: the value itself, the
// ranges holding an address, parent domains), the list with filters (type,
// category, TLP, live / expired / warning-listed, text, tag, report) and the export
// of what the filters select as STIX, MISP or CSV. Every filter goes to the server,
// which applies it before paging: each page (and the export) holds matches only.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow } from '../components/ui.js';
import { INTEL_TYPES, CATEGORIES, TLPS, typeName, categoryName, tlpName, TlpBadge, LiveBadge } from './threatmodel.js';

// The intel section's own links: store, import, warning lists, feeds.
export function IntelNav({ user, active }) {
  const links = [['indicators', '#/indicators', t('intel.nav.store')]];
  if (can.importIndicators(user)) links.push(['import', '#/indicators/import', t('intel.nav.import')]);
  if (can.readWarningLists(user)) links.push(['warninglists', '#/warninglists', t('intel.nav.warninglists')]);
  if (can.readFeeds(user)) links.push(['feeds', '#/feeds', t('intel.nav.feeds')]);
  if (links.length < 2) return null;
  return html`<nav class="subnav" aria-label=${t('nav.indicators')}>
    ${links.map(([id, href, label]) => html`<a key=${id} id=${`intel-nav-${id}`} href=${href}
      class=${id === active ? 'active' : ''} aria-current=${id === active ? 'page' : undefined}>${label}</a>`)}
  </nav>`;
}

function LookupBox() {
  const [value, setValue] = useState('');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const go = async (e) => {
    e.preventDefault();
    if (!value.trim()) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await api.get('/api/v1/indicators/lookup', { value: value.trim() });
      setResult(r.data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="panel" id="intel-lookup">
    <h3>${t('intel.lookup')}</h3>
    <form class="lookup-form" onSubmit=${go}>
      <input id="lookup-value" class="mono lookup-input" value=${value} placeholder=${t('intel.lookupHint')}
        aria-label=${t('intel.lookup')} onInput=${(e) => setValue(e.target.value)} />
      <button type="submit" class="btn btn-primary" id="lookup-go" disabled=${busy}>${t('intel.lookupGo')}</button>
    </form>
    <${ErrorBox} error=${error} />
    ${result ? html`<div id="lookup-result" data-count=${result.matches.length}>
      <p class="muted small">${t('intel.lookupAs', { type: typeName(result.type), value: result.value })}
        ${result.truncated ? ` ${t('intel.truncated')}` : ''}</p>
      <div class="table-wrap"><table class="table table-compact" id="lookup-results">
        <thead><tr><th>${t('intel.match')}</th><th>${t('intel.type')}</th><th>${t('intel.value')}</th><th>${t('intel.category')}</th>
          <th>TLP</th><th class="num">${t('intel.confidence')}</th><th>${t('intel.last_seen')}</th></tr></thead>
        <tbody>
          ${result.matches.map((m) => html`<tr key=${m.id} data-indicator-id=${m.id} data-match=${m.match}>
            <td><span class="badge badge-info">${t(`intel.match.${m.match}`)}</span>${m.prefix !== undefined ? html` <span class="mono small">/${m.prefix}</span>` : null}
              ${m.via_host ? html` <span class="muted small">${t('intel.viaHost')}</span>` : null}</td>
            <td>${typeName(m.type)}</td>
            <td><a class="mono" href=${`#/indicators/${m.id}`}>${m.value}</a></td>
            <td>${categoryName(m.category)}</td>
            <td><${TlpBadge} tlp=${m.tlp} /></td>
            <td class="num">${m.confidence}</td>
            <td class="nowrap">${fmtTime(m.last_seen)}</td>
          </tr>`)}
          ${result.matches.length === 0 ? html`<${EmptyRow} cols=${7} text=${t('intel.noMatch')} />` : null}
        </tbody>
      </table></div>
    </div>` : null}
  </section>`;
}

// The list's query parameters, as the page's own query keeps them too.
const SERVER_KEYS = ['type', 'category', 'tag', 'q', 'tlp', 'state', 'report_id'];

function serverQuery(f) {
  const q = {};
  for (const k of SERVER_KEYS) if (f[k]) q[k] = f[k];
  return q;
}

function ExportLinks({ filter }) {
  const qs = (format) => new URLSearchParams({ format, ...serverQuery(filter) }).toString();
  return html`<div class="export-links" id="intel-export">
    <span class="muted small">${t('intel.export')}</span>
    ${['stix', 'misp', 'csv'].map((f) => html`<a key=${f} class="btn btn-small" id=${`export-${f}`} download
      href=${`/api/v1/indicators/export?${qs(f)}`}>${t(`imp.format.${f}`)}</a>`)}
  </div>`;
}

export function IndicatorsPage({ user, query }) {
  const init = () => {
    const f = {};
    for (const k of SERVER_KEYS) if (query && query[k]) f[k] = query[k];
    return f;
  };
  const [filter, setFilterState] = useState(init);
  const [q, setQ] = useState((query && query.q) || '');
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [error, setError] = useState(null);
  const setFilter = (f) => {
    setFilterState(f);
    replaceQuery(f);
  };
  const deps = SERVER_KEYS.map((k) => filter[k]);
  useEffect(() => {
    setItems(null);
    setError(null);
    api.get('/api/v1/indicators', { ...serverQuery(filter), limit: 100 }).then((r) => {
      setItems(r.data.items);
      setCursor(r.data.next_cursor || null);
    }, setError);
  }, deps);
  const more = async () => {
    try {
      const r = await api.get('/api/v1/indicators', { ...serverQuery(filter), limit: 100, cursor });
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
  const sel = (k, opts, label) => html`<label class="filter-item">${label}
    <select id=${`intel-filter-${k}`} value=${filter[k] || ''} onChange=${(e) => setFilter({ ...filter, [k]: e.target.value || undefined })}>
      <option value="">${t('common.all')}</option>
      ${opts.map(([v, l]) => html`<option key=${v} value=${v}>${l}</option>`)}
    </select></label>`;
  const shown = items || [];
  return html`<div class="page page-wide" id="indicators-page">
    <div class="page-head">
      <div>
        <h2>${t('intel.title')}</h2>
        <div class="subhead">${t('intel.subtitle')}</div>
      </div>
    </div>
    <${IntelNav} user=${user} active="indicators" />
    <${LookupBox} />
    <section id="indicator-list">
      <form class="filters filters-grid" onSubmit=${search}>
        ${sel('type', INTEL_TYPES.map((x) => [x, typeName(x)]), t('intel.type'))}
        ${sel('category', CATEGORIES.map((x) => [x, categoryName(x)]), t('intel.category'))}
        ${sel('tlp', TLPS.map((x) => [x, tlpName(x)]), 'TLP')}
        ${sel('state', [['live', t('intel.live')], ['expired', t('intel.expired')], ['flagged', t('intel.flagged')]], t('intel.state'))}
        <label class="filter-item">${t('common.search')}
          <input id="intel-filter-q" class="filter-q" value=${q} placeholder=${t('intel.searchHint')} onInput=${(e) => setQ(e.target.value)} /></label>
        <div class="filter-buttons">
          <button type="submit" class="btn btn-primary" id="intel-search">${t('common.search')}</button>
          <button type="button" class="btn" id="intel-reset" onClick=${() => { setQ(''); setFilter({}); }}>${t('common.reset')}</button>
        </div>
      </form>
      ${filter.report_id ? html`<p class="muted">${t('intel.ofReport')} <a href=${`#/threats/${filter.report_id}`}>#${filter.report_id}</a>
        <button type="button" class="btn btn-small" id="intel-report-clear" onClick=${() => setFilter({ ...filter, report_id: undefined })}>${t('common.remove')}</button></p>` : null}
      <${ExportLinks} filter=${filter} />
      <${ErrorBox} error=${error} />
      ${!items && !error ? html`<${Loading} />` : null}
      ${items ? html`<div class="table-wrap"><table class="table" id="indicators-table">
        <thead><tr><th>${t('intel.type')}</th><th>${t('intel.value')}</th><th>${t('intel.category')}</th><th>TLP</th>
          <th class="num">${t('intel.confidence')}</th><th class="num">${t('intel.sightings')}</th><th>${t('intel.state')}</th>
          <th>${t('intel.last_seen')}</th><th>${t('intel.valid_until')}</th></tr></thead>
        <tbody>
          ${shown.map((i) => html`<tr key=${i.id} data-indicator-id=${i.id} data-value=${i.value} class=${i.live ? '' : 'row-past'}>
            <td>${typeName(i.type)}</td>
            <td><a class="mono break" href=${`#/indicators/${i.id}`}>${i.value}</a>${i.subdomains ? html` <span class="muted small">${t('intel.withSubdomains')}</span>` : null}
              ${(i.tags || []).length ? html`<div class="chips">${i.tags.map((g) => html`<span class="chip" key=${g}>${g}</span>`)}</div>` : null}</td>
            <td>${categoryName(i.category)}</td>
            <td><${TlpBadge} tlp=${i.tlp} /></td>
            <td class="num">${i.confidence}</td>
            <td class="num">${i.sightings}</td>
            <td><${LiveBadge} ind=${i} /></td>
            <td class="nowrap">${fmtTime(i.last_seen)}</td>
            <td class="nowrap">${i.valid_until ? fmtTime(i.valid_until) : html`<span class="muted">${t('intel.never')}</span>`}</td>
          </tr>`)}
          ${shown.length === 0 ? html`<${EmptyRow} cols=${9} text=${t('intel.empty')} />` : null}
        </tbody>
      </table></div>
      <div class="list-foot"><span class="muted">${t('common.total', { n: shown.length })}</span>
        ${cursor ? html`<button type="button" class="btn" id="indicators-more" onClick=${more}>${t('common.loadMore')}</button>` : null}</div>` : null}
    </section>
  </div>`;
}

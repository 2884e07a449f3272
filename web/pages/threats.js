// pages/threats.js - the threat reports (威胁监测处置专项报告). A unit sees its own
// reports with their state and files new ones; the authority sees the review queue
// (submitted reports, oldest first) above every report with filters; the yearly
// counts of accepted reports per unit are a second tab (threat.stats).
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow, Tabs } from '../components/ui.js';
import { CATEGORIES, THREAT_STATUSES, categoryName, threatStatusName, ThreatStatusBadge, currentYearCst } from './threatmodel.js';

function ReportTable({ items, showUnit, id, empty }) {
  return html`<div class="table-wrap"><table class="table" id=${id}>
    <thead><tr><th>${t('inc.id')}</th><th>${t('threat.title')}</th><th>${t('threat.category')}</th>
      ${showUnit ? html`<th>${t('threat.unit')}</th>` : null}<th>${t('threat.status')}</th>
      <th>${t('threat.submitted_at')}</th><th>${t('threat.updated_at')}</th></tr></thead>
    <tbody>
      ${items.map((r) => html`<tr key=${r.id} data-report-id=${r.id} data-status=${r.status}>
        <td class="mono">#${r.id}</td>
        <td><a class="unit-link" href=${`#/threats/${r.id}`}>${r.title}</a>
          ${r.incident_id ? html` <span class="badge badge-info">${t('threat.hasIncident')}</span>` : null}</td>
        <td>${categoryName(r.category)}</td>
        ${showUnit ? html`<td>${r.unit_name || html`<span class="muted">${t('threat.authorityOwn')}</span>`}</td>` : null}
        <td><${ThreatStatusBadge} status=${r.status} /></td>
        <td class="nowrap">${fmtTime(r.submitted_at)}</td>
        <td class="nowrap">${fmtTime(r.updated_at)}</td>
      </tr>`)}
      ${items.length === 0 ? html`<${EmptyRow} cols=${showUnit ? 7 : 6} text=${empty} />` : null}
    </tbody>
  </table></div>`;
}

// The authority's queue: every submitted report, the longest waiting first.
function ReviewQueue() {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api.getAll('/api/v1/threat-reports', { status: 'submitted' }).then(
      (list) => setItems(list.slice().sort((a, b) => Date.parse(a.submitted_at) - Date.parse(b.submitted_at))),
      setError,
    );
  }, []);
  return html`<section class="panel" id="threat-queue">
    <h3>${t('threat.queue')}<span class="count" id="threat-queue-count" data-count=${items ? items.length : ''}>${items ? items.length : ''}</span></h3>
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<${ReportTable} items=${items} showUnit=${true} id="threat-queue-table" empty=${t('threat.queueEmpty')} />` : null}
  </section>`;
}

function ReportList({ user, filter, setFilter }) {
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [error, setError] = useState(null);
  const query = (c) => ({ status: filter.status, category: filter.category, limit: 50, cursor: c || undefined });
  useEffect(() => {
    setItems(null);
    setError(null);
    api.get('/api/v1/threat-reports', query(null)).then((r) => {
      setItems(r.data.items);
      setCursor(r.data.next_cursor || null);
    }, setError);
  }, [filter.status, filter.category]);
  const more = async () => {
    try {
      const r = await api.get('/api/v1/threat-reports', query(cursor));
      setItems((prev) => prev.concat(r.data.items));
      setCursor(r.data.next_cursor || null);
    } catch (e) {
      setError(e);
    }
  };
  return html`<section id="threat-list">
    <div class="filters">
      <label class="filter-item">${t('threat.status')}
        <select id="threat-filter-status" value=${filter.status || ''} onChange=${(e) => setFilter({ ...filter, status: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          ${THREAT_STATUSES.map((s) => html`<option key=${s} value=${s}>${threatStatusName(s)}</option>`)}
        </select></label>
      <label class="filter-item">${t('threat.category')}
        <select id="threat-filter-category" value=${filter.category || ''} onChange=${(e) => setFilter({ ...filter, category: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          ${CATEGORIES.map((s) => html`<option key=${s} value=${s}>${categoryName(s)}</option>`)}
        </select></label>
    </div>
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<${ReportTable} items=${items} showUnit=${user.role !== 'unit'} id="threats-table" empty=${t('threat.empty')} />
      <div class="list-foot"><span class="muted">${t('common.total', { n: items.length })}</span>
        ${cursor ? html`<button type="button" class="btn" id="threats-more" onClick=${more}>${t('common.loadMore')}</button>` : null}</div>` : null}
  </section>`;
}

// Review decisions per unit in a year (China Standard Time), most accepted first.
function Stats() {
  const thisYear = currentYearCst();
  const [year, setYear] = useState(thisYear);
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setData(null);
    setError(null);
    api.get('/api/v1/threat-reports/stats', { year }).then((r) => setData(r.data), setError);
  }, [year]);
  const years = [0, 1, 2, 3, 4].map((n) => thisYear - n);
  return html`<section class="panel" id="threat-stats">
    <div class="section-head"><h3>${t('threat.stats.title')}</h3>
      <label class="filter-item">${t('threat.stats.year')}
        <select id="threat-stats-year" value=${year} onChange=${(e) => setYear(Number(e.target.value))}>
          ${years.map((y) => html`<option key=${y} value=${y}>${y}</option>`)}
        </select></label></div>
    <p class="hint">${t('threat.stats.hint')}</p>
    <${ErrorBox} error=${error} />
    ${!data && !error ? html`<${Loading} />` : null}
    ${data ? html`<div class="table-wrap"><table class="table" id="threat-stats-table">
      <thead><tr><th>${t('threat.unit')}</th><th class="num">${t('threat.stats.accepted')}</th>
        <th class="num">${t('threat.stats.rejected')}</th><th class="num">${t('threat.stats.returned')}</th></tr></thead>
      <tbody>
        ${data.items.map((r) => html`<tr key=${r.unit_id} data-unit-id=${r.unit_id}>
          <td>${r.unit_name}</td><td class="num" data-accepted=${r.accepted}><strong>${r.accepted}</strong></td>
          <td class="num">${r.rejected}</td><td class="num">${r.returned}</td></tr>`)}
        ${data.items.length === 0 ? html`<${EmptyRow} cols=${4} />` : null}
      </tbody>
    </table></div>` : null}
  </section>`;
}

export function ThreatsPage({ user, query }) {
  const [tab, setTabState] = useState((query && query.tab) || 'list');
  const [filter, setFilterState] = useState(() => ({ status: query && query.status, category: query && query.category }));
  const setFilter = (f) => {
    setFilterState(f);
    replaceQuery({ ...f, tab: tab === 'list' ? undefined : tab });
  };
  const setTab = (x) => {
    setTabState(x);
    replaceQuery({ ...filter, tab: x === 'list' ? undefined : x });
  };
  const isUnit = user.role === 'unit';
  const tabs = [{ id: 'list', label: t('threat.tab.list') }];
  if (can.threatStats(user)) tabs.push({ id: 'stats', label: t('threat.tab.stats') });
  const active = tabs.some((x) => x.id === tab) ? tab : 'list';
  return html`<div class="page page-wide" id="threats-page">
    <div class="page-head">
      <div>
        <h2>${isUnit ? t('threat.unitTitle') : t('threat.listTitle')}</h2>
        <div class="subhead">${isUnit ? t('threat.unitSubtitle') : t('threat.listSubtitle')}</div>
      </div>
      <div class="actions">
        ${can.readDisposals(user) && !isUnit ? html`<a class="btn" href="#/disposals">${t('nav.disposals')}</a>` : null}
        ${can.writeThreat(user) ? html`<a class="btn btn-primary" id="threat-new" href="#/threats/new">＋ ${t('threat.new')}</a>` : null}
      </div>
    </div>
    ${tabs.length > 1 ? html`<${Tabs} tabs=${tabs} active=${active} onSelect=${setTab} />` : null}
    <div class="tab-body">
      ${active === 'list' ? html`<div class="tab-panel">
        ${can.reviewThreat(user) ? html`<${ReviewQueue} />` : null}
        <h3 class="list-title">${t('threat.allReports')}</h3>
        <${ReportList} user=${user} filter=${filter} setFilter=${setFilter} />
      </div>` : null}
      ${active === 'stats' ? html`<${Stats} />` : null}
    </div>
  </div>`;
}

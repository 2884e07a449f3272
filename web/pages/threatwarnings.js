// pages/threatwarnings.js - early warnings (预警报告) and bulletins (预警通报). A
// unit lists its own warnings and writes new ones; the authority sees the review
// queue above every warning. Bulletins (the published warnings) are for everyone,
// filtered by colour and vulnerability id, with the weekly or monthly digest as a
// PDF download (GET /api/v1/bulletins/digest).
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { fmtTime, todayCst } from '../format.js';
import { ErrorBox, Loading, EmptyRow } from '../components/ui.js';
import { COLOURS, WARNING_STATUSES, colourName, warningStatusName, WarningStatusBadge, ColourBadge } from './threatmodel.js';

function WarningTable({ items, showUnit, showStatus, id, empty }) {
  const cols = 4 + (showUnit ? 1 : 0) + (showStatus ? 1 : 0);
  return html`<div class="table-wrap"><table class="table" id=${id}>
    <thead><tr><th>${t('warn.title')}</th><th>${t('warn.colour')}</th>
      ${showUnit ? html`<th>${t('threat.unit')}</th>` : null}${showStatus ? html`<th>${t('warn.status')}</th>` : null}
      <th>${t('warn.event_at')}</th><th>${showStatus ? t('threat.updated_at') : t('warn.published_at')}</th></tr></thead>
    <tbody>
      ${items.map((w) => html`<tr key=${w.id} data-warning-id=${w.id} data-status=${w.status || 'published'}>
        <td><a class="unit-link" href=${`#/early-warnings/${w.id}`}>${w.title}</a>
          ${(w.references || []).length ? html`<div class="muted small mono">${w.references.join(' ')}</div>` : null}</td>
        <td><${ColourBadge} colour=${w.colour} /></td>
        ${showUnit ? html`<td>${w.unit_name || html`<span class="muted">${t('threat.authorityOwn')}</span>`}</td>` : null}
        ${showStatus ? html`<td><${WarningStatusBadge} status=${w.status} /></td>` : null}
        <td class="nowrap">${fmtTime(w.event_at)}</td>
        <td class="nowrap">${fmtTime(showStatus ? w.updated_at : w.published_at)}</td>
      </tr>`)}
      ${items.length === 0 ? html`<${EmptyRow} cols=${cols} text=${empty} />` : null}
    </tbody>
  </table></div>`;
}

// A paged list of path with query; render(items) shows it.
function usePaged(path, query, deps) {
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setItems(null);
    setError(null);
    api.get(path, { ...query, limit: 50 }).then((r) => {
      setItems(r.data.items);
      setCursor(r.data.next_cursor || null);
    }, setError);
  }, deps);
  const more = async () => {
    try {
      const r = await api.get(path, { ...query, limit: 50, cursor });
      setItems((prev) => prev.concat(r.data.items));
      setCursor(r.data.next_cursor || null);
    } catch (e) {
      setError(e);
    }
  };
  return { items, cursor, error, more };
}

export function WarningsPage({ user, query }) {
  const [filter, setFilterState] = useState(() => ({ status: query && query.status, colour: query && query.colour }));
  const setFilter = (f) => {
    setFilterState(f);
    replaceQuery(f);
  };
  const list = usePaged('/api/v1/early-warnings', { status: filter.status, colour: filter.colour }, [filter.status, filter.colour]);
  const [queue, setQueue] = useState(null);
  const review = can.reviewWarning(user);
  useEffect(() => {
    if (review) api.getAll('/api/v1/early-warnings', { status: 'submitted' }).then(setQueue, () => setQueue([]));
  }, []);
  const isUnit = user.role === 'unit';
  return html`<div class="page page-wide" id="warnings-page">
    <div class="page-head">
      <div>
        <h2>${isUnit ? t('warn.unitTitle') : t('warn.listTitle')}</h2>
        <div class="subhead">${t('warn.listSubtitle')}</div>
      </div>
      <div class="actions">
        <a class="btn" href="#/bulletins">${t('nav.bulletins')}</a>
        ${can.writeWarning(user) ? html`<a class="btn btn-primary" id="warning-new" href="#/early-warnings/new">＋ ${t('warn.new')}</a>` : null}
      </div>
    </div>
    ${review ? html`<section class="panel" id="warning-queue">
      <h3>${t('warn.queue')}<span class="count" id="warning-queue-count">${queue ? queue.length : ''}</span></h3>
      ${queue ? html`<${WarningTable} items=${queue} showUnit=${true} showStatus=${true} id="warning-queue-table" empty=${t('warn.queueEmpty')} />` : html`<${Loading} />`}
    </section>` : null}
    <div class="filters">
      <label class="filter-item">${t('warn.status')}
        <select id="warning-filter-status" value=${filter.status || ''} onChange=${(e) => setFilter({ ...filter, status: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          ${WARNING_STATUSES.map((s) => html`<option key=${s} value=${s}>${warningStatusName(s)}</option>`)}
        </select></label>
      <label class="filter-item">${t('warn.colour')}
        <select id="warning-filter-colour" value=${filter.colour || ''} onChange=${(e) => setFilter({ ...filter, colour: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          ${COLOURS.map((s) => html`<option key=${s} value=${s}>${colourName(s)}</option>`)}
        </select></label>
    </div>
    <${ErrorBox} error=${list.error} />
    ${!list.items && !list.error ? html`<${Loading} />` : null}
    ${list.items ? html`<${WarningTable} items=${list.items} showUnit=${!isUnit} showStatus=${true} id="warnings-table" empty=${t('warn.empty')} />
      <div class="list-foot"><span class="muted">${t('common.total', { n: list.items.length })}</span>
        ${list.cursor ? html`<button type="button" class="btn" id="warnings-more" onClick=${list.more}>${t('common.loadMore')}</button>` : null}</div>` : null}
  </div>`;
}

function DigestBox() {
  const [period, setPeriod] = useState('week');
  const [date, setDate] = useState(todayCst());
  const href = `/api/v1/bulletins/digest?${new URLSearchParams({ period, date, format: 'pdf' }).toString()}`;
  return html`<section class="panel" id="bulletin-digest">
    <h3>${t('bull.digest')}</h3>
    <p class="hint">${t('bull.digestHint')}</p>
    <div class="filters filters-plain">
      <label class="filter-item">${t('bull.period')}
        <select id="digest-period" value=${period} onChange=${(e) => setPeriod(e.target.value)}>
          <option value="week">${t('bull.week')}</option><option value="month">${t('bull.month')}</option>
        </select></label>
      <label class="filter-item">${t('bull.date')}
        <input id="digest-date" type="date" value=${date} max=${todayCst()} onInput=${(e) => setDate(e.target.value)} /></label>
      <div class="filter-buttons"><a class="btn btn-primary" id="digest-download" href=${href} download>${t('bull.download')}</a></div>
    </div>
  </section>`;
}

export function BulletinsPage({ user, query }) {
  const [filter, setFilterState] = useState(() => ({ colour: query && query.colour, ref: query && query.ref }));
  const [ref, setRef] = useState((query && query.ref) || '');
  const setFilter = (f) => {
    setFilterState(f);
    replaceQuery(f);
  };
  const list = usePaged('/api/v1/bulletins', { colour: filter.colour, ref: filter.ref }, [filter.colour, filter.ref]);
  const search = (e) => {
    e.preventDefault();
    setFilter({ ...filter, ref: ref.trim() || undefined });
  };
  return html`<div class="page page-wide" id="bulletins-page">
    <div class="page-head">
      <div>
        <h2>${t('bull.title')}</h2>
        <div class="subhead">${t('bull.subtitle')}</div>
      </div>
      ${can.readWarnings(user) ? html`<div class="actions"><a class="btn" href="#/early-warnings">${t('nav.earlyWarnings')}</a></div>` : null}
    </div>
    <${DigestBox} />
    <form class="filters filters-grid" onSubmit=${search}>
      <label class="filter-item">${t('warn.colour')}
        <select id="bulletin-filter-colour" value=${filter.colour || ''} onChange=${(e) => setFilter({ ...filter, colour: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          ${COLOURS.map((s) => html`<option key=${s} value=${s}>${colourName(s)}</option>`)}
        </select></label>
      <label class="filter-item">${t('bull.ref')}
        <input id="bulletin-filter-ref" value=${ref} placeholder="CVE-2021-44228" onInput=${(e) => setRef(e.target.value)} /></label>
      <div class="filter-buttons">
        <button type="submit" class="btn btn-primary" id="bulletin-search">${t('common.search')}</button>
        <button type="button" class="btn" onClick=${() => { setRef(''); setFilter({}); }}>${t('common.reset')}</button>
      </div>
    </form>
    <${ErrorBox} error=${list.error} />
    ${!list.items && !list.error ? html`<${Loading} />` : null}
    ${list.items ? html`<${WarningTable} items=${list.items} showUnit=${false} showStatus=${false} id="bulletins-table" empty=${t('bull.empty')} />
      <div class="list-foot"><span class="muted">${t('common.total', { n: list.items.length })}</span>
        ${list.cursor ? html`<button type="button" class="btn" id="bulletins-more" onClick=${list.more}>${t('common.loadMore')}</button>` : null}</div>` : null}
  </div>`;
}

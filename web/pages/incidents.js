// pages/incidents.js - the incidents. For the authority and the auditor the board
// first: open incidents counted by level and state (a count opens the list
// filtered), the live dispatches' clocks counting down each second with breaches in
// red; then the list with filters (status, level, open only, search). A unit sees
// the list of the incidents it takes part in.
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow } from '../components/ui.js';
import { DispatchClocks, dispatchBreached, setServerNow, useTick } from '../components/clock.js';
import {
  LEVELS, STATUSES, OPEN_STATUSES, LevelBadge, StatusBadge, DispatchBadge, levelName, statusName, region,
} from './incmodel.js';

const BOARD_REFRESH_MS = 30000;

// The counts: rows the levels (and not graded yet), columns the open states.
function BoardCounts({ board, onPick }) {
  const count = (level, status) => board.cells
    .filter((c) => (c.level || null) === level && (status === null || c.status === status))
    .reduce((s, c) => s + c.count, 0);
  const rows = [...LEVELS, null];
  return html`<div class="board-counts">
    <div class="level-tiles" id="board-levels">
      ${rows.map((lv) => {
        const n = count(lv, null);
        return html`<button type="button" key=${lv || 'none'} class=${`level-tile inc-level-${lv || 'none'}`}
            id=${`board-level-${lv || 'none'}`} data-count=${n} onClick=${() => onPick({ level: lv || 'none' })}>
          <span class="level-tile-n">${n}</span><span class="level-tile-name">${levelName(lv)}</span>
        </button>`;
      })}
      <div class="level-tile level-tile-total" id="board-open" data-count=${board.open}>
        <span class="level-tile-n">${board.open}</span><span class="level-tile-name">${t('board.open')}</span>
      </div>
    </div>
    <div class="table-wrap"><table class="table table-compact board-matrix" id="board-matrix">
      <thead><tr><th>${t('inc.level')}</th>${OPEN_STATUSES.map((s) => html`<th key=${s} class="num">${statusName(s)}</th>`)}
        <th class="num">${t('board.total')}</th></tr></thead>
      <tbody>
        ${rows.map((lv) => html`<tr key=${lv || 'none'} data-level=${lv || 'none'}>
          <th><${LevelBadge} level=${lv} /></th>
          ${OPEN_STATUSES.map((s) => {
            const n = count(lv, s);
            return html`<td key=${s} class="num" data-status=${s} data-count=${n}>
              ${n ? html`<button type="button" class="link-button cell-count" onClick=${() => onPick({ level: lv || 'none', status: s })}>${n}</button>`
                : html`<span class="muted">0</span>`}</td>`;
          })}
          <td class="num"><strong>${count(lv, null)}</strong></td>
        </tr>`)}
      </tbody>
    </table></div>
  </div>`;
}

// The live dispatches with their clocks, breached first (the server's order).
function BoardClocks({ clocks }) {
  const now = useTick();
  const breached = clocks.filter((d) => dispatchBreached(d, now)).length;
  return html`<section class="panel" id="board-clocks-panel">
    <div class="section-head">
      <h3>${t('board.clocks')}<span class="count">${clocks.length}</span></h3>
      ${breached ? html`<span class="badge badge-error" id="board-breached-count" data-count=${breached}>${t('board.breachedN', { n: breached })}</span>` : null}
    </div>
    <p class="hint">${t('board.clocksHint')}</p>
    <div class="table-wrap"><table class="table board-clocks" id="board-clocks">
      <thead><tr><th>${t('inc.title')}</th><th>${t('inc.level')}</th><th>${t('disp.unit')}</th><th>${t('disp.status')}</th>
        <th>${t('disp.notified_at')}</th><th>${t('board.clocksCol')}</th></tr></thead>
      <tbody>
        ${clocks.map((d) => {
          const bad = dispatchBreached(d, now);
          return html`<tr key=${d.id} data-dispatch-id=${d.id} data-breached=${bad ? 'true' : 'false'} class=${bad ? 'row-breach' : ''}>
            <td><a class="unit-link" href=${`#/incidents/${d.incident_id}`}>${d.incident_title}</a>
              ${d.urgent ? html` <span class="badge badge-error">${t('disp.urgent')}</span>` : null}</td>
            <td><${LevelBadge} level=${d.incident_level} /></td>
            <td>${d.unit_name}</td>
            <td><${DispatchBadge} status=${d.status} /></td>
            <td class="nowrap">${fmtTime(d.notified_at)}</td>
            <td><${DispatchClocks} d=${d} idPrefix=${`board-${d.id}`} /></td>
          </tr>`;
        })}
        ${clocks.length === 0 ? html`<${EmptyRow} cols=${6} text=${t('board.noClocks')} />` : null}
      </tbody>
    </table></div>
  </section>`;
}

function Board({ onPick }) {
  const [board, setBoard] = useState(null);
  const [error, setError] = useState(null);
  const load = useCallback(() => {
    api.get('/api/v1/incidents/board').then((r) => {
      setServerNow(r.data.now);
      setBoard(r.data);
      setError(null);
    }, setError);
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, BOARD_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return html`<div id="incident-board">
    <${ErrorBox} error=${error} />
    ${!board && !error ? html`<${Loading} />` : null}
    ${board ? html`<section class="panel" id="board-counts-panel">
        <div class="section-head"><h3>${t('board.counts')}</h3>
          <button type="button" class="btn btn-small" id="board-refresh" onClick=${load}>${t('common.reload')}</button></div>
        <${BoardCounts} board=${board} onPick=${onPick} />
      </section>
      <${BoardClocks} clocks=${board.clocks} />` : null}
  </div>`;
}

// The list with its filters; filter lives in the route's query.
function IncidentList({ filter, setFilter }) {
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [error, setError] = useState(null);
  const [q, setQ] = useState(filter.q || '');
  const query = (c) => ({
    status: filter.status, level: filter.level === 'none' ? undefined : filter.level,
    open: filter.open === '1' ? 1 : undefined, q: filter.q, limit: 50, cursor: c || undefined,
  });
  useEffect(() => {
    setItems(null);
    setError(null);
    api.get('/api/v1/incidents', query(null)).then((r) => {
      setItems(r.data.items);
      setCursor(r.data.next_cursor || null);
    }, setError);
  }, [filter.status, filter.level, filter.open, filter.q]);
  const more = async () => {
    try {
      const r = await api.get('/api/v1/incidents', query(cursor));
      setItems((prev) => prev.concat(r.data.items));
      setCursor(r.data.next_cursor || null);
    } catch (e) {
      setError(e);
    }
  };
  // "Not graded" is not a server filter: it is applied to what arrived.
  const shown = (items || []).filter((i) => filter.level !== 'none' || !i.level);
  const search = (e) => {
    e.preventDefault();
    setFilter({ ...filter, q: q.trim() || undefined });
  };
  return html`<section id="incident-list">
    <form class="filters filters-grid" onSubmit=${search}>
      <label class="filter-item">${t('inc.status')}
        <select id="filter-status" value=${filter.status || ''} onChange=${(e) => setFilter({ ...filter, status: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          ${STATUSES.map((s) => html`<option key=${s} value=${s}>${statusName(s)}</option>`)}
        </select></label>
      <label class="filter-item">${t('inc.level')}
        <select id="filter-level" value=${filter.level || ''} onChange=${(e) => setFilter({ ...filter, level: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          ${LEVELS.map((l) => html`<option key=${l} value=${l}>${levelName(l)}</option>`)}
          <option value="none">${levelName(null)}</option>
        </select></label>
      <label class="filter-item">${t('common.search')}
        <input id="filter-q" class="filter-q" value=${q} placeholder=${t('inc.searchHint')} onInput=${(e) => setQ(e.target.value)} /></label>
      <label class="check-row filter-open"><input type="checkbox" id="filter-open" checked=${filter.open === '1'}
        onChange=${(e) => setFilter({ ...filter, open: e.target.checked ? '1' : undefined })} /><span>${t('inc.openOnly')}</span></label>
      <div class="filter-buttons">
        <button type="submit" class="btn btn-primary" id="filter-search">${t('common.search')}</button>
        <button type="button" class="btn" id="filter-reset" onClick=${() => { setQ(''); setFilter({}); }}>${t('common.reset')}</button>
      </div>
    </form>
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<div class="table-wrap"><table class="table" id="incidents-table">
      <thead><tr><th>${t('inc.id')}</th><th>${t('inc.title')}</th><th>${t('inc.level')}</th><th>${t('inc.status')}</th>
        <th>${t('inc.affected_org')}</th><th>${t('inc.region')}</th><th>${t('inc.discovered_at')}</th><th>${t('inc.updated_at')}</th></tr></thead>
      <tbody>
        ${shown.map((i) => html`<tr key=${i.id} data-incident-id=${i.id}>
          <td class="mono">#${i.id}</td>
          <td><a class="unit-link" href=${`#/incidents/${i.id}`}>${i.title}</a>
            ${i.merged_into ? html` <span class="badge badge-muted">${t('inc.mergedInto', { id: i.merged_into })}</span>` : null}</td>
          <td><${LevelBadge} level=${i.level} /></td>
          <td><${StatusBadge} status=${i.status} /></td>
          <td>${i.affected_org}</td>
          <td>${region(i)}</td>
          <td class="nowrap">${fmtTime(i.discovered_at)}</td>
          <td class="nowrap">${fmtTime(i.updated_at)}</td>
        </tr>`)}
        ${shown.length === 0 ? html`<${EmptyRow} cols=${8} text=${t('inc.empty')} />` : null}
      </tbody>
    </table></div>
    <div class="list-foot"><span class="muted">${t('common.total', { n: shown.length })}</span>
      ${cursor ? html`<button type="button" class="btn" id="incidents-more" onClick=${more}>${t('common.loadMore')}</button>` : null}</div>` : null}
  </section>`;
}

export function IncidentsPage({ user, query }) {
  const [filter, setFilterState] = useState(() => {
    const { status, level, open, q } = query || {};
    return { status, level, open, q };
  });
  const setFilter = (f) => {
    setFilterState(f);
    replaceQuery(f);
  };
  const pick = (f) => {
    setFilter({ ...f, open: undefined });
    const el = document.getElementById('incident-list');
    if (el) el.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };
  return html`<div class="page page-wide" id="incidents-page">
    <div class="page-head">
      <div>
        <h2>${can.viewIncidentBoard(user) ? t('inc.boardTitle') : t('inc.unitListTitle')}</h2>
        <div class="subhead">${can.viewIncidentBoard(user) ? t('inc.boardSubtitle') : t('inc.unitListSubtitle')}</div>
      </div>
      ${can.reportIncident(user) ? html`<div class="actions">
        <a class="btn btn-primary" id="report-incident" href="#/incidents/new">＋ ${t('inc.report')}</a></div>` : null}
    </div>
    ${can.viewIncidentBoard(user) ? html`<${Board} onPick=${pick} />` : null}
    <h3 class="list-title">${t('inc.listTitle')}</h3>
    <${IncidentList} filter=${filter} setFilter=${setFilter} />
  </div>`;
}

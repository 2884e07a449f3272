// pages/dispatches.js - the unit's inbox of emergency dispatches (应急任务): the live
// ones first, each with its two clocks and one-click buttons for the next step,
// then the finished ones; and one dispatch with the unit's notes and the unit's
// view of its incident (only its own part: its dispatches, the timeline entries
// and evidence that are the incident's as a whole or its own). The authority and
// the auditor see every dispatch in a table.
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow, InfoGrid, Field, fieldMessage } from '../components/ui.js';
import { DispatchClocks, dispatchBreached, useTick } from '../components/clock.js';
import {
  LIVE, DISPATCH_STATUSES, StatusBadge, LevelBadge, DispatchBadge, dispatchStatusName, region, className,
  useIncidentRefs,
} from './incmodel.js';
import { DispatchCard, UnitActions, AuthorityActions } from './dispatchcard.js';
import { Timeline } from './incident.js';
import { EvidencePanel } from './incevidence.js';

const INBOX_REFRESH_MS = 30000;

function UnitInbox({ items, reload }) {
  const live = items.filter((d) => LIVE.includes(d.status));
  const done = items.filter((d) => !LIVE.includes(d.status));
  const replace = () => reload();
  return html`<div id="dispatch-inbox">
    <section class="panel" id="inbox-live">
      <h3>${t('inbox.live')}<span class="count" id="inbox-live-count" data-count=${live.length}>${live.length}</span></h3>
      ${live.length === 0 ? html`<p class="muted empty-panel">${t('inbox.noneLive')}</p>` : null}
      ${live.map((d) => html`<${DispatchCard} key=${d.id} d=${d} show="unit">
        <${UnitActions} d=${d} onChanged=${replace} />
      </${DispatchCard}>`)}
    </section>
    <section class="panel" id="inbox-done">
      <h3>${t('inbox.done')}<span class="count">${done.length}</span></h3>
      <div class="table-wrap"><table class="table" id="inbox-done-table">
        <thead><tr><th>${t('inc.title')}</th><th>${t('inc.level')}</th><th>${t('disp.status')}</th><th>${t('disp.notified_at')}</th>
          <th>${t('board.clocksCol')}</th></tr></thead>
        <tbody>
          ${done.map((d) => html`<tr key=${d.id} data-dispatch-id=${d.id}>
            <td><a class="unit-link" href=${`#/dispatches/${d.id}`}>${d.incident_title}</a></td>
            <td><${LevelBadge} level=${d.incident_level} /></td>
            <td><${DispatchBadge} status=${d.status} /></td>
            <td class="nowrap">${fmtTime(d.notified_at)}</td>
            <td><${DispatchClocks} d=${d} idPrefix=${`done-${d.id}`} /></td>
          </tr>`)}
          ${done.length === 0 ? html`<${EmptyRow} cols=${5} />` : null}
        </tbody>
      </table></div>
    </section>
  </div>`;
}

function AllDispatches({ items, filter, setFilter }) {
  const now = useTick();
  const shown = items.filter((d) => !filter || (filter === 'live' ? LIVE.includes(d.status) : d.status === filter));
  return html`<div>
    <div class="filters">
      <label class="filter-item">${t('disp.status')}
        <select id="dispatch-filter" value=${filter} onChange=${(e) => setFilter(e.target.value)}>
          <option value="">${t('common.all')}</option>
          <option value="live">${t('inbox.live')}</option>
          ${DISPATCH_STATUSES.map((s) => html`<option key=${s} value=${s}>${dispatchStatusName(s)}</option>`)}
        </select></label>
    </div>
    <div class="table-wrap"><table class="table" id="dispatches-table">
      <thead><tr><th>${t('inc.title')}</th><th>${t('disp.unit')}</th><th>${t('inc.level')}</th><th>${t('disp.status')}</th>
        <th>${t('disp.notified_at')}</th><th>${t('board.clocksCol')}</th></tr></thead>
      <tbody>
        ${shown.map((d) => html`<tr key=${d.id} data-dispatch-id=${d.id} class=${dispatchBreached(d, now) ? 'row-breach' : ''}>
          <td><a class="unit-link" href=${`#/incidents/${d.incident_id}?tab=dispatches`}>${d.incident_title}</a></td>
          <td><a href=${`#/dispatches/${d.id}`}>${d.unit_name}</a></td>
          <td><${LevelBadge} level=${d.incident_level} /></td>
          <td><${DispatchBadge} status=${d.status} /></td>
          <td class="nowrap">${fmtTime(d.notified_at)}</td>
          <td><${DispatchClocks} d=${d} idPrefix=${`all-${d.id}`} /></td>
        </tr>`)}
        ${shown.length === 0 ? html`<${EmptyRow} cols=${6} />` : null}
      </tbody>
    </table></div>
  </div>`;
}

export function DispatchesPage({ user }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [filter, setFilter] = useState('live');
  const load = useCallback(() => api.getAll('/api/v1/dispatches').then((list) => {
    setItems(list);
    setError(null);
  }, setError), []);
  useEffect(() => {
    load();
    const timer = setInterval(load, INBOX_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const isUnit = user.role === 'unit';
  return html`<div class="page page-wide" id="dispatches-page">
    <div class="page-head">
      <div>
        <h2>${isUnit ? t('inbox.title') : t('disp.allTitle')}</h2>
        <div class="subhead">${isUnit ? t('inbox.subtitle') : t('disp.allSubtitle')}</div>
      </div>
      <div class="actions">
        <button type="button" class="btn" id="inbox-refresh" onClick=${load}>${t('common.reload')}</button>
        ${isUnit ? html`<a class="btn" href="#/incidents">${t('inbox.myIncidents')}</a>` : null}
        ${isUnit && can.reportIncident(user) ? html`<a class="btn btn-primary" id="report-incident" href="#/incidents/new">＋ ${t('inc.reportOwn')}</a>` : null}
      </div>
    </div>
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items && isUnit ? html`<${UnitInbox} items=${items} reload=${load} />` : null}
    ${items && !isUnit ? html`<${AllDispatches} items=${items} filter=${filter} setFilter=${setFilter} />` : null}
  </div>`;
}

// The unit's notes on its dispatch (PUT replaces them; empty clears).
function NotesEditor({ d, onSaved }) {
  const [text, setText] = useState(d.unit_notes || '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const r = await api.put(`/api/v1/dispatches/${d.id}/notes`, { text: text.trim() ? text : null });
      setSaved(true);
      onSaved(r.data);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="panel" id="dispatch-notes-panel">
    <h3>${t('disp.unitNotes')}</h3>
    <${Field} id="dispatch-notes" label=${t('disp.notesHint')} error=${fieldMessage(error, 'text')}>
      <textarea id="dispatch-notes" rows="4" value=${text} onInput=${(e) => { setText(e.target.value); setSaved(false); }}></textarea>
    </${Field}>
    <div class="form-actions-inline section-gap">
      <button type="button" class="btn btn-primary" id="dispatch-notes-save" disabled=${busy} onClick=${save}>${t('common.save')}</button>
      ${saved ? html`<span class="badge badge-ok">${t('common.saved')}</span>` : null}
    </div>
    ${error && error.field !== 'text' ? html`<${ErrorBox} error=${error} />` : null}
  </section>`;
}

// The incident as the unit sees it.
function IncidentView({ inc, refs }) {
  return html`<section class="panel" id="dispatch-incident">
    <div class="section-head"><h3>${t('inbox.incident')}</h3>
      <a class="btn btn-small" href=${`#/incidents/${inc.id}`}>${t('inbox.openIncident')}</a></div>
    <${InfoGrid} items=${[
      [t('inc.title'), inc.title, true],
      [t('inc.status'), html`<${StatusBadge} status=${inc.status} />`],
      [t('inc.level'), html`<${LevelBadge} level=${inc.level} />`],
      [t('inc.class_code'), className(refs.classes, inc.class_code, inc.subclass_code)],
      [t('inc.affected_org'), inc.affected_org],
      [t('inc.affected_system'), inc.affected_system],
      [t('inc.region'), region(inc)],
      [t('inc.discovered_at'), fmtTime(inc.discovered_at)],
      [t('inc.description'), inc.description ? html`<div class="pre">${inc.description}</div>` : '', true],
      [t('inc.indicators'), (inc.indicators || []).length ? html`<ul class="plain-list mono">${inc.indicators.map((x, i) => html`<li key=${i}>${x.type}: ${x.value}</li>`)}</ul>` : '', true],
    ]} />
  </section>`;
}

export function DispatchPage({ user, id }) {
  const refs = useIncidentRefs();
  const [d, setD] = useState(null);
  const [inc, setInc] = useState(null);
  const [error, setError] = useState(null);
  const load = useCallback(async () => {
    try {
      const r = await api.get(`/api/v1/dispatches/${id}`);
      setD(r.data);
      const i = await api.get(`/api/v1/incidents/${r.data.incident_id}`);
      setInc(i.data);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => { load(); }, [id]);
  if (!d || !refs) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;
  const isUnit = user.role === 'unit';
  const replaced = inc && (inc.dispatches || []).some((x) => x.replaces === d.id);
  return html`<div class="page page-wide" id="dispatch-page" data-dispatch-id=${d.id}>
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/dispatches">${t('nav.dispatches')}</a> / ${t('disp.numbered', { id: d.id })}</div>
        <h2>${d.incident_title}</h2>
        <div class="subhead"><${LevelBadge} level=${d.incident_level} /> <span>${d.unit_name}</span></div>
      </div>
      ${!isUnit ? html`<div class="actions"><a class="btn" href=${`#/incidents/${d.incident_id}?tab=dispatches`}>${t('inbox.openIncident')}</a></div>` : null}
    </div>
    <${ErrorBox} error=${error} />
    <${DispatchCard} d=${d} show="incident">
      ${isUnit ? html`<${UnitActions} d=${d} onChanged=${load} />` : null}
      ${can.dispatch(user) ? html`<${AuthorityActions} d=${d} replaced=${replaced} onChanged=${load} />` : null}
    </${DispatchCard}>
    ${isUnit ? html`<${NotesEditor} d=${d} onSaved=${(x) => setD(x)} />` : null}
    ${inc ? html`<${IncidentView} inc=${inc} refs=${refs} />
      <${Timeline} inc=${inc} user=${user} reload=${load} />
      <${EvidencePanel} inc=${inc} user=${user} />` : null}
  </div>`;
}

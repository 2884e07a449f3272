// pages/incident.js - one incident. Its facts, grading (the helper's proposal,
// confirmed or overridden with a reason), state changes along reported → closed,
// the dispatches with their clocks and the suggestions to dispatch more units,
// re-dispatch after a breach, the timeline of every step and notes, evidence,
// upward reporting, the final report (needed to close) and links (parent, merged
// duplicates). A unit sees only its own part: its dispatches, the timeline
// entries and evidence that are the incident's as a whole or its own.
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { fmtTime, fmtTimeSec } from '../format.js';
import { ErrorBox, Loading, Tabs, InfoGrid, EmptyRow, Modal, Field, fieldMessage, Notice } from '../components/ui.js';
import { serverNow, dispatchBreached } from '../components/clock.js';
import {
  STATUSES, StatusBadge, LevelBadge, statusName, operatorName, sourceName, className, region, nextStatuses,
  isOpen, timelineText, refusalHint, useIncidentRefs, LIVE,
} from './incmodel.js';
import { GradingView, GradingForm } from './incgrading.js';
import { DispatchCard, UnitActions, AuthorityActions } from './dispatchcard.js';
import { EvidencePanel } from './incevidence.js';
import { ReportingPanel } from './increports.js';
import { FinalReportPanel, LinksPanel } from './incfinal.js';

const REFRESH_MS = 30000;

// --- state -----------------------------------------------------------------------------

function Stepper({ status }) {
  const cur = STATUSES.indexOf(status);
  return html`<ol class="stepper" id="incident-stepper">
    ${STATUSES.map((s, i) => html`<li key=${s} class=${i < cur ? 'done' : i === cur ? 'current' : ''}
        aria-current=${i === cur ? 'step' : undefined} data-status=${s}>
      <span class="stepper-dot">${i < cur ? '✓' : i + 1}</span><span>${statusName(s)}</span>
    </li>`)}
  </ol>`;
}

function StatusDialog({ inc, etag, onDone, onCancel }) {
  const options = nextStatuses(inc.status);
  const [to, setTo] = useState(options[0] || '');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post(`/api/v1/incidents/${inc.id}/status`, { to, reason: reason.trim() || undefined }, { ifMatch: etag });
      onDone(r.data, r.etag);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  const hint = refusalHint(error);
  return html`<${Modal} title=${t('inc.changeStatus')} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn btn-primary" id="status-confirm" disabled=${busy || !to} onClick=${go}>${t('common.confirm')}</button>`}>
    <div class="form-narrow">
      <${Field} id="status-to" label=${t('inc.statusTo')} required=${true}>
        <select id="status-to" value=${to} onChange=${(e) => setTo(e.target.value)}>
          ${options.map((s) => html`<option key=${s} value=${s}>${statusName(s)}${inc.status === 'resolved' && s === 'in_progress' ? `（${t('inc.reopen')}）` : ''}</option>`)}
        </select>
      </${Field}>
      <${Field} id="status-reason" label=${t('inc.statusReason')} required=${inc.status === 'resolved' && to === 'in_progress'}
          error=${fieldMessage(error, 'reason')}>
        <textarea id="status-reason" rows="2" value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>
      </${Field}>
    </div>
    ${error && error.field !== 'reason' ? html`<div id="status-error"><${ErrorBox} error=${error}>
      ${hint ? html`<div class="small">${hint}</div>` : null}</${ErrorBox}></div>` : null}
  </${Modal}>`;
}

// --- facts -----------------------------------------------------------------------------

function Facts({ inc, refs }) {
  const r = inc.ransom;
  return html`<section class="panel" id="incident-facts">
    <h3>${t('inc.sec.facts')}</h3>
    <${InfoGrid} items=${[
      [t('inc.title'), inc.title, true],
      [t('inc.class_code'), className(refs.classes, inc.class_code, inc.subclass_code)],
      [t('inc.source'), sourceName(inc.source)],
      [t('inc.discovered_at'), fmtTime(inc.discovered_at)],
      [t('inc.affected_org'), inc.affected_org],
      [t('inc.affected_system'), inc.affected_system],
      [t('inc.operator_type'), operatorName(inc.operator_type)],
      [t('inc.region'), region(inc)],
      [t('inc.created_at'), fmtTime(inc.created_at)],
      [t('inc.resolved_at'), fmtTime(inc.resolved_at)],
      [t('inc.description'), inc.description ? html`<div class="pre">${inc.description}</div>` : '', true],
      [t('inc.indicators'), (inc.indicators || []).length ? html`<table class="table table-compact" id="incident-indicators">
        <tbody>${inc.indicators.map((x, i) => html`<tr key=${i}><td>${t(`inc.indType.${x.type}`) === `inc.indType.${x.type}` ? x.type : t(`inc.indType.${x.type}`)}</td>
          <td class="mono">${x.value}</td><td>${x.note || ''}</td></tr>`)}</tbody></table>` : '', true],
      [t('inc.ransom'), r ? html`<span>${['amount', 'currency', 'payment_method', 'deadline', 'wallet']
        .filter((k) => r[k]).map((k) => html`<span class="ransom-item" key=${k}>${t(`inc.ransom.${k}`)}：<span class=${k === 'wallet' ? 'mono' : ''}>${r[k]}</span></span>`)}</span>` : '', true],
    ]} />
  </section>`;
}

// --- dispatch ----------------------------------------------------------------------------

function Suggestions({ inc, refs, onDispatched }) {
  const [field, setField] = useState('emergency_handling');
  const [items, setItems] = useState(null);
  const [picked, setPicked] = useState([]);
  const [urgent, setUrgent] = useState(inc.level === 'extraordinary' || inc.level === 'major');
  const [instructions, setInstructions] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => {
    setItems(null);
    api.get(`/api/v1/incidents/${inc.id}/suggestions`, { field, limit: 30 }).then((r) => setItems(r.data.items), setError);
  }, [inc.id, field]);
  const live = new Set((inc.dispatches || []).filter((d) => LIVE.includes(d.status)).map((d) => d.unit_id));
  const toggle = (id, on) => setPicked((p) => (on ? p.concat([id]) : p.filter((x) => x !== id)));
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/incidents/${inc.id}/dispatches`,
        { unit_ids: picked, urgent, instructions: instructions.trim() || undefined });
      setPicked([]);
      setInstructions('');
      onDispatched();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const yes = (b) => (b ? html`<span class="ok-mark">✓</span>` : html`<span class="muted">—</span>`);
  return html`<section class="panel" id="suggestions-panel">
    <div class="section-head"><h3>${t('sugg.title')}</h3>
      <label class="filter-item">${t('sugg.field')}
        <select id="suggest-field" value=${field} onChange=${(e) => setField(e.target.value)}>
          ${(refs.fields || []).map((f) => html`<option key=${f.code} value=${f.code}>${f.name_zh}</option>`)}
        </select></label></div>
    ${!inc.level ? html`<${Notice} kind="warn">${t('sugg.gradeFirst')}</${Notice}>` : null}
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<div class="table-wrap"><table class="table" id="suggestions-table">
      <thead><tr><th></th><th>${t('disp.unit')}</th><th class="num">${t('sugg.score')}</th><th>${t('sugg.reason')}</th>
        <th>${t('sugg.on_call_now')}</th><th>${t('sugg.certified')}</th><th class="num">${t('sugg.open_dispatches')}</th>
        <th class="num">${t('sugg.recent_breaches')}</th></tr></thead>
      <tbody>
        ${items.map((u) => html`<tr key=${u.unit_id} data-unit-id=${u.unit_id} class=${live.has(u.unit_id) ? 'row-past' : ''}>
          <td><input type="checkbox" id=${`suggest-pick-${u.unit_id}`} aria-label=${u.unit_name}
            disabled=${live.has(u.unit_id)} checked=${picked.includes(u.unit_id)} onChange=${(e) => toggle(u.unit_id, e.target.checked)} /></td>
          <td><label for=${`suggest-pick-${u.unit_id}`}><strong>${u.unit_name}</strong></label>
            ${live.has(u.unit_id) ? html` <span class="badge badge-info">${t('sugg.already')}</span>` : null}</td>
          <td class="num">${u.score}</td>
          <td class="small">${u.reason}</td>
          <td>${yes(u.on_call_now)}</td>
          <td>${u.certified ? yes(true) : html`<span class="badge badge-warn">${t('sugg.noCert')}</span>`}</td>
          <td class="num">${u.open_dispatches}</td>
          <td class="num">${u.recent_breaches ? html`<span class="text-warn">${u.recent_breaches}</span>` : 0}</td>
        </tr>`)}
        ${items.length === 0 ? html`<${EmptyRow} cols=${8} text=${t('sugg.none')} />` : null}
      </tbody>
    </table></div>` : null}
    <div class="dispatch-form form-grid">
      <${Field} id="dispatch-instructions" label=${t('disp.instructions')} wide=${true} error=${fieldMessage(error, 'instructions')}>
        <textarea id="dispatch-instructions" rows="2" value=${instructions} onInput=${(e) => setInstructions(e.target.value)}></textarea>
      </${Field}>
      <div class="field field-button">
        <label class="check-row"><input type="checkbox" id="dispatch-urgent" checked=${urgent}
          onChange=${(e) => setUrgent(e.target.checked)} /><span>${t('disp.urgentHint')}</span></label>
        <button type="button" class="btn btn-primary" id="dispatch-send" disabled=${busy || !picked.length || !inc.level}
          onClick=${send}>${t('sugg.send', { n: picked.length })}</button>
      </div>
    </div>
    ${error && error.field !== 'instructions' ? html`<${ErrorBox} error=${error}>${refusalHint(error) ? html`<div class="small">${refusalHint(error)}</div>` : null}</${ErrorBox}>` : null}
  </section>`;
}

function DispatchesTab({ inc, user, refs, reload }) {
  const ds = inc.dispatches || [];
  const replaced = new Set(ds.filter((d) => d.replaces).map((d) => d.replaces));
  const isUnit = user.role === 'unit';
  return html`<div class="tab-panel" id="dispatches-tab">
    <section class="panel" id="incident-dispatches">
      <h3>${isUnit ? t('disp.mine') : t('disp.title')}<span class="count">${ds.length}</span></h3>
      ${ds.length === 0 ? html`<p class="muted">${t('disp.none')}</p>` : null}
      ${ds.map((d) => html`<${DispatchCard} key=${d.id} d=${d} show="incident">
        ${isUnit ? html`<${UnitActions} d=${d} onChanged=${reload} />` : null}
        ${can.dispatch(user) ? html`<${AuthorityActions} d=${d} replaced=${replaced.has(d.id)} onChanged=${reload} />` : null}
      </${DispatchCard}>`)}
    </section>
    ${can.dispatch(user) && isOpen(inc) ? html`<${Suggestions} inc=${inc} refs=${refs} onDispatched=${reload} />` : null}
  </div>`;
}

// --- timeline ---------------------------------------------------------------------------

function NoteForm({ inc, onAdded }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const add = async (e) => {
    e.preventDefault();
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/incidents/${inc.id}/notes`, { text: text.trim() });
      setText('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="note-form" onSubmit=${add}>
    <${Field} id="note-text" label=${t('tl.addNote')} error=${fieldMessage(error, 'text')}>
      <textarea id="note-text" rows="2" value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
    </${Field}>
    <button type="submit" class="btn btn-primary" id="note-add" disabled=${busy || !text.trim()}>${t('tl.addNoteButton')}</button>
    ${error && error.field !== 'text' ? html`<${ErrorBox} error=${error} />` : null}
  </form>`;
}

export function Timeline({ inc, user, reload }) {
  // The unit of an entry: from the dispatches, else from the entry's own detail.
  const units = new Map((inc.dispatches || []).map((d) => [d.unit_id, d.unit_name]));
  for (const e of inc.timeline || []) if (e.unit_id && e.detail && e.detail.unit_name && !units.has(e.unit_id)) units.set(e.unit_id, e.detail.unit_name);
  const rows = (inc.timeline || []).slice().reverse();
  return html`<section class="panel" id="timeline-panel">
    <h3>${t('tl.title')}<span class="count">${rows.length}</span></h3>
    ${can.addIncidentNote(user) && !inc.merged_into ? html`<${NoteForm} inc=${inc} onAdded=${reload} />` : null}
    <div class="table-wrap"><table class="table timeline" id="timeline-table">
      <thead><tr><th>${t('tl.at')}</th><th>${t('tl.actor')}</th><th>${t('tl.what')}</th><th>${t('tl.unit')}</th><th>${t('tl.detail')}</th></tr></thead>
      <tbody>
        ${rows.map((e) => {
          const x = timelineText(e);
          return html`<tr key=${e.seq} data-seq=${e.seq} data-kind=${e.kind} class=${e.kind === 'dispatch.breach' ? 'row-breach' : ''}>
            <td class="nowrap">${fmtTimeSec(e.at)}</td>
            <td>${e.actor === 'system' ? html`<span class="badge badge-muted">${t('tl.system')}</span>` : e.actor}</td>
            <td><span class=${`tl-kind tl-${e.kind.replace('.', '-')}`}>${x.what}</span></td>
            <td>${e.unit_id ? units.get(e.unit_id) || `#${e.unit_id}` : ''}</td>
            <td class="pre">${x.detail}</td>
          </tr>`;
        })}
        ${rows.length === 0 ? html`<${EmptyRow} cols=${5} />` : null}
      </tbody>
    </table></div>
  </section>`;
}

// --- the page -------------------------------------------------------------------------------

export function IncidentPage({ user, id, query }) {
  const refs = useIncidentRefs();
  const [inc, setInc] = useState(null);
  const [etag, setEtag] = useState(null);
  const [error, setError] = useState(null);
  const [tab, setTabState] = useState((query && query.tab) || 'overview');
  const [moving, setMoving] = useState(false);
  const load = useCallback(() => api.get(`/api/v1/incidents/${id}`).then((r) => {
    setInc(r.data);
    setEtag(r.etag);
    setError(null);
  }, setError), [id]);
  // Units answer and timers fire meanwhile: read the incident again now and then.
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [id]);
  const setTab = (x) => {
    setTabState(x);
    replaceQuery({ tab: x });
  };
  const changed = (data, newEtag) => {
    setInc((prev) => ({ ...prev, ...data }));
    setEtag(newEtag);
    load();
  };
  if (!inc || !refs) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;

  const isUnit = user.role === 'unit';
  const manage = can.manageIncidents(user) && !inc.merged_into;
  const breaches = (inc.dispatches || []).filter((d) => dispatchBreached(d, serverNow())).length;
  const tabs = [
    { id: 'overview', label: t('inc.tab.overview') },
    { id: 'dispatches', label: isUnit ? t('disp.mine') : t('inc.tab.dispatches'), badge: (inc.dispatches || []).length || null },
    { id: 'timeline', label: t('inc.tab.timeline'), badge: (inc.timeline || []).length || null },
    { id: 'evidence', label: t('inc.tab.evidence') },
  ];
  if (can.readReporting(user)) {
    tabs.push({ id: 'reporting', label: t('inc.tab.reporting') });
    tabs.push({ id: 'final', label: t('inc.tab.final') });
    tabs.push({ id: 'links', label: t('inc.tab.links'), badge: ((inc.children || []).length + (inc.merged || []).length) || null });
  }
  const active = tabs.some((x) => x.id === tab) ? tab : 'overview';
  return html`<div class="page page-wide" id="incident-page" data-incident-id=${inc.id}>
    <div class="page-head">
      <div>
        <div class="crumbs"><a href=${isUnit ? '#/dispatches' : '#/incidents'}>${isUnit ? t('nav.dispatches') : t('nav.incidents')}</a> / #${inc.id}</div>
        <h2 id="incident-title">${inc.title}</h2>
        <div class="subhead">
          <${StatusBadge} status=${inc.status} id="incident-status" />
          <${LevelBadge} level=${inc.level} id="incident-level-badge" />
          <span>${inc.affected_org}</span>
          <span>${t('inc.discoveredShort', { time: fmtTime(inc.discovered_at) })}</span>
          ${breaches ? html`<button type="button" class="badge badge-error badge-button" id="incident-breaches"
            onClick=${() => setTab('dispatches')}>${t('board.breachedN', { n: breaches })}</button>` : null}
        </div>
      </div>
      ${manage ? html`<div class="actions">
        <a class="btn" id="incident-edit" href=${`#/incidents/${inc.id}/edit`}>${t('inc.correct')}</a>
        ${nextStatuses(inc.status).length ? html`<button type="button" class="btn btn-primary" id="status-change"
          onClick=${() => setMoving(true)}>${t('inc.changeStatus')}</button>` : null}
      </div>` : null}
    </div>
    ${inc.merged_into ? html`<${Notice} kind="warn">${t('inc.mergedNotice')} <a href=${`#/incidents/${inc.merged_into}`}>#${inc.merged_into}</a></${Notice}>` : null}
    <${Stepper} status=${inc.status} />
    <${ErrorBox} error=${error} />
    <${Tabs} tabs=${tabs} active=${active} onSelect=${setTab} />
    <div class="tab-body">
      ${active === 'overview' ? html`<div class="tab-panel">
        <${Facts} inc=${inc} refs=${refs} />
        <section class="panel" id="grading-panel">
          <h3>${t('grade.title')}</h3>
          <${GradingView} inc=${inc} />
          ${manage && inc.status !== 'closed' ? html`<details class="sub-block" open=${!inc.level}>
            <summary>${inc.level ? t('grade.regrade') : t('grade.grade')}</summary>
            <${GradingForm} inc=${inc} etag=${etag} onGraded=${changed} />
          </details>` : null}
        </section>
      </div>` : null}
      ${active === 'dispatches' ? html`<${DispatchesTab} inc=${inc} user=${user} refs=${refs} reload=${load} />` : null}
      ${active === 'timeline' ? html`<div class="tab-panel"><${Timeline} inc=${inc} user=${user} reload=${load} /></div>` : null}
      ${active === 'evidence' ? html`<div class="tab-panel"><${EvidencePanel} inc=${inc} user=${user} /></div>` : null}
      ${active === 'reporting' ? html`<div class="tab-panel"><${ReportingPanel} inc=${inc} user=${user} /></div>` : null}
      ${active === 'final' ? html`<div class="tab-panel"><${FinalReportPanel} inc=${inc} etag=${etag} user=${user} onSaved=${changed} /></div>` : null}
      ${active === 'links' ? html`<div class="tab-panel"><${LinksPanel} inc=${inc} etag=${etag} user=${user} onSaved=${changed} /></div>` : null}
    </div>
    ${moving ? html`<${StatusDialog} inc=${inc} etag=${etag} onCancel=${() => setMoving(false)}
      onDone=${(data, e) => { setMoving(false); changed(data, e); }} />` : null}
  </div>`;
}

// pages/campaign.js - one selection campaign. For the authority and the auditor:
// the pipeline board (applications counted per stage), the stage control (moves
// one stage on with If-Match, the server's reason shown when it refuses), the
// applications with filters, expert panels, the ranking and the proposed list,
// the public notice with its objections, and the downloads. Other roles see the
// campaign's facts and where their own work is.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, localizeMessage } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { fmtTime, fmtScore, fmtNumber } from '../format.js';
import { ErrorBox, Loading, Tabs, InfoGrid, EmptyRow, Modal, Notice } from '../components/ui.js';
import { Badge, codeName, STAGES, nextStage } from '../components/status.js';
import { region } from './campaigns.js';
import { PanelsTab } from './panels.js';
import { RankingTab, NoticeTab } from './outcome.js';

// --- the pipeline board ---------------------------------------------------------------

// The board's counts from GET /campaigns/{id}/pipeline, flattened to the keys below.
// Eligibility, background review and scores count submitted applications only (the
// server's definition, docs/api-selection.md), and so do the filters they open.
export function pipelineCounts(p) {
  return {
    draft: p.applications.draft,
    submitted: p.applications.submitted,
    returned: p.applications.returned,
    eligible: p.eligibility.eligible,
    ineligible: p.eligibility.ineligible,
    direct_entry: p.eligibility.direct_entry,
    sec_pending: p.security.pending,
    sec_pass: p.security.pass,
    sec_fail: p.security.fail,
    on_panel: p.review.on_panel,
    scored: p.review.scored,
    paper_received: p.paper.received,
    proposed: p.outcome.proposed,
    not_selected: p.outcome.not_selected,
    selected: p.outcome.selected,
    cancelled: p.outcome.cancelled,
    objections_open: p.objections.open,
  };
}

// The filter each count of the board opens in the applications tab (null: a count
// only; the objections count opens the notice tab).
const BOARD = [
  { id: 'apply', items: [['draft', { status: 'draft' }], ['submitted', { status: 'submitted' }], ['returned', { status: 'returned' }]] },
  { id: 'eligibility', items: [['eligible', { status: 'submitted', eligibility: 'eligible' }], ['ineligible', { status: 'submitted', eligibility: 'ineligible' }], ['direct_entry', null]] },
  { id: 'security', items: [['sec_pending', { status: 'submitted', security: 'pending' }], ['sec_pass', { status: 'submitted', security: 'pass' }], ['sec_fail', { status: 'submitted', security: 'fail' }]] },
  { id: 'scoring', items: [['on_panel', null], ['scored', { status: 'submitted', scored: 'yes' }], ['paper_received', null]] },
  { id: 'proposal', items: [['proposed', { outcome: 'proposed' }], ['not_selected', { outcome: 'not_selected' }], ['objections_open', 'notice']] },
  { id: 'result', items: [['selected', { outcome: 'selected' }], ['cancelled', { outcome: 'cancelled' }]] },
];

function PipelineBoard({ pipeline, onPick, onTab }) {
  const c = pipelineCounts(pipeline);
  return html`<div class="pipeline" id="pipeline-board" aria-label=${t('pipeline.title')}>
    ${BOARD.map((col, i) => html`<div class="pipeline-col" key=${col.id} data-column=${col.id}>
      <div class="pipeline-head"><span class="pipeline-step">${i + 1}</span>${t(`pipeline.col.${col.id}`)}</div>
      ${col.items.map(([k, filter]) => html`<button type="button" class=${`pipeline-count pipeline-${k}`} key=${k}
          id=${`count-${k}`} data-count=${c[k]} disabled=${filter === null}
          onClick=${() => (typeof filter === 'string' ? onTab(filter) : onPick(filter))}>
        <span class="pipeline-n">${c[k]}</span><span class="pipeline-label">${t(`pipeline.${k}`)}</span>
      </button>`)}
    </div>`)}
  </div>`;
}

// --- the stage control -----------------------------------------------------------------

function StageStepper({ stage }) {
  const cur = STAGES.indexOf(stage);
  return html`<ol class="stepper" id="stage-stepper">
    ${STAGES.map((s, i) => html`<li key=${s} class=${i < cur ? 'done' : i === cur ? 'current' : ''}
        aria-current=${i === cur ? 'step' : undefined} data-stage=${s}>
      <span class="stepper-dot">${i < cur ? '✓' : i + 1}</span><span>${codeName('stage', s)}</span>
    </li>`)}
  </ol>`;
}

// Why the server refused a stage change, in words the authority can act on.
function stageRefusal(err, to) {
  if (!err) return null;
  if (err.code === 'conflict') {
    const key = `stage.refused.${err.field || 'to'}`;
    return { title: t('stage.refused', { to: codeName('stage', to) }), why: localizeMessage(err.message), hint: t(key) === key ? '' : t(key) };
  }
  return null;
}

function StageControl({ campaign, etag, onMoved, onTab, onStale }) {
  const next = nextStage(campaign.stage);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  if (!next) return null;
  const move = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post(`/api/v1/campaigns/${campaign.id}/stage`, { to: next }, { ifMatch: etag });
      setAsking(false);
      onMoved(r.data, r.etag);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const refusal = stageRefusal(error, next);
  return html`<div class="stage-control">
    <button type="button" class="btn btn-primary" id="stage-next" onClick=${() => { setError(null); setAsking(true); }}>
      ${t('stage.moveTo', { stage: codeName('stage', next) })}</button>
    ${asking ? html`<${Modal} title=${t('stage.confirmTitle', { stage: codeName('stage', next) })} onClose=${() => setAsking(false)}
        footer=${html`<button type="button" class="btn" onClick=${() => setAsking(false)}>${t('common.cancel')}</button>
          <button type="button" class="btn btn-primary" id="stage-confirm" disabled=${busy} onClick=${move}>${t('common.confirm')}</button>`}>
        <p>${t(`stage.explain.${next}`)}</p>
        ${refusal ? html`<div class="alert alert-error" role="alert" id="stage-error">
            <div class="alert-title">${refusal.title}</div>
            <div>${refusal.why}</div>
            ${refusal.hint ? html`<div class="small">${refusal.hint}</div>` : null}
            ${error.field === 'deadline_at' ? html`<a class="btn btn-small" href=${`#/campaigns/${campaign.id}/edit`}>${t('campaign.editTitle')}</a>` : null}
            ${error.field === 'notice_ends_at' ? html`<button type="button" class="btn btn-small" onClick=${() => { setAsking(false); onTab('notice'); }}>${t('notice.setPeriod')}</button>` : null}
            ${error.field === 'to' && next === 'notice' ? html`<button type="button" class="btn btn-small" onClick=${() => { setAsking(false); onTab('ranking'); }}>${t('tab.ranking')}</button>` : null}
          </div>` : error ? html`<${ErrorBox} error=${error} title=${error.code === 'precondition_failed' ? t('campaign.staleStage') : null}>
            ${error.code === 'precondition_failed' ? html`<button type="button" class="btn btn-small" id="stage-reload"
              onClick=${() => { setAsking(false); onStale(); }}>${t('common.reload')}</button>` : null}
          </${ErrorBox}>` : null}
      </${Modal}>` : null}
  </div>`;
}

// --- the campaign's facts -------------------------------------------------------------

function Facts({ c }) {
  const th = c.thresholds || {};
  return html`<section class="panel" id="campaign-facts">
    <h3>${t('campaign.sec.basic')}</h3>
    <${InfoGrid} items=${[
      [t('campaign.name'), c.name, true],
      [t('campaign.title'), c.title],
      [t('campaign.term_no'), c.term_no ? t('campaign.termN', { n: c.term_no }) : ''],
      [t('campaign.region'), region(c)],
      [t('campaign.authorities'), html`<ul class="plain-list">${(c.authorities || []).map((a, i) => html`<li key=${i}>${a}</li>`)}</ul>`, true],
      [t('campaign.opens_at'), fmtTime(c.opens_at)],
      [t('campaign.deadline_at'), html`<strong>${fmtTime(c.deadline_at)}</strong>`],
      [t('campaign.validity_years'), t('campaign.years', { n: c.validity_years })],
      [t('campaign.places'), String(c.places)],
      [t('campaign.cert_number_pattern'), html`<span class="mono">${c.cert_number_pattern}</span>`],
      [t('campaign.notice'), c.notice_starts_at ? `${fmtTime(c.notice_starts_at)} — ${fmtTime(c.notice_ends_at)}` : ''],
      [t('campaign.published_at'), fmtTime(c.published_at)],
      [t('campaign.validity'), c.valid_from ? `${c.valid_from} — ${c.valid_to}` : ''],
    ]} />
    <div class="facts-split">
      <div>
        <h4 class="subhead-h">${t('campaign.sec.thresholds')}</h4>
        <table class="table table-compact" id="campaign-thresholds"><tbody>
          <tr><th>${t('campaign.th.min_registered_capital')}</th><td class="num">${fmtNumber(th.min_registered_capital)}</td></tr>
          <tr><th>${t('campaign.th.min_years_in_field')}</th><td class="num">${th.min_years_in_field}</td></tr>
          <tr><th>${t('campaign.th.min_certified_staff')}</th><td class="num">${th.min_certified_staff}</td></tr>
          <tr><th>${t('campaign.th.min_capability_fields')}</th><td class="num">${th.min_capability_fields}</td></tr>
          <tr><th>${t('campaign.th.require_office_in_province')}</th><td class="num">${th.require_office_in_province ? t('common.yes') : t('common.no')}</td></tr>
          <tr><th>${t('campaign.th.require_declarations')}</th><td class="num">${th.require_declarations ? t('common.yes') : t('common.no')}</td></tr>
        </tbody></table>
      </div>
      <div>
        <h4 class="subhead-h">${t('campaign.sec.criteria')}</h4>
        <table class="table table-compact" id="campaign-criteria">
          <thead><tr><th>${t('campaign.crit.name')}</th><th>${t('campaign.crit.code')}</th><th class="num">${t('campaign.crit.max_points')}</th></tr></thead>
          <tbody>
            ${(c.criteria || []).map((k) => html`<tr key=${k.code}><td>${k.name}</td><td class="mono">${k.code}</td><td class="num">${k.max_points}</td></tr>`)}
            <tr class="row-total"><td>${t('campaign.total')}</td><td></td><td class="num">${(c.criteria || []).reduce((s, k) => s + k.max_points, 0)}</td></tr>
          </tbody>
        </table>
      </div>
    </div>
  </section>`;
}

// --- the applications table --------------------------------------------------------------

const STATUS = ['draft', 'submitted', 'returned'];
const hasScore = (a) => a.score !== null && a.score !== undefined;
const OUTCOMES = ['pending', 'proposed', 'selected', 'not_selected', 'cancelled'];

export function ApplicationsTab({ campaign, user, filter, setFilter }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [q, setQ] = useState(filter.q || '');
  useEffect(() => {
    setItems(null);
    api.getAll(`/api/v1/campaigns/${campaign.id}/applications`, { status: filter.status, outcome: filter.outcome })
      .then(setItems, setError);
  }, [campaign.id, filter.status, filter.outcome]);

  const shown = (items || []).filter((a) => (!filter.eligibility || (a.submitted_version && a.eligibility === filter.eligibility)) &&
    (!filter.security || (a.status === 'submitted' && a.security_result === filter.security)) &&
    (!filter.scored || (filter.scored === 'yes' ? hasScore(a) : a.status === 'submitted' && !hasScore(a))) &&
    (!filter.q || a.unit_name.includes(filter.q) || a.credit_code.includes(filter.q.toUpperCase())));
  const set = (k, v) => setFilter({ ...filter, [k]: v || undefined });
  const sel = (k, label, codes, family) => html`<label class="filter-item"><span>${label}</span>
    <select id=${`apps-${k}`} value=${filter[k] || ''} onChange=${(e) => set(k, e.target.value)}>
      <option value="">${t('common.all')}</option>
      ${codes.map((x) => html`<option key=${x} value=${x}>${codeName(family, x)}</option>`)}
    </select></label>`;
  const ranking = can.readRanking(user);
  return html`<section class="tab-panel" id="applications-tab">
    <form class="filters filters-grid" role="search" onSubmit=${(e) => { e.preventDefault(); set('q', q.trim()); }}>
      ${sel('status', t('app.status'), STATUS, 'status')}
      ${sel('outcome', t('app.outcome'), OUTCOMES, 'outcome')}
      ${sel('eligibility', t('app.eligibility'), ['eligible', 'ineligible'], 'elig')}
      ${sel('security', t('app.security_result'), ['pending', 'pass', 'fail'], 'security')}
      <label class="filter-item"><span>${t('apps.search')}</span>
        <input id="apps-q" type="search" value=${q} onInput=${(e) => setQ(e.target.value)} /></label>
      <div class="filter-buttons">
        <button type="submit" class="btn btn-primary" id="apps-search">${t('common.search')}</button>
        <button type="button" class="btn" onClick=${() => { setQ(''); setFilter({}); }}>${t('common.reset')}</button>
      </div>
    </form>
    <${ErrorBox} error=${error} />
    <div class="table-wrap">
      <table class="table" id="applications-table">
        <thead><tr>
          <th>${t('app.unit')}</th><th>${t('app.status')}</th><th>${t('app.submitted_at')}</th><th>${t('app.version')}</th>
          <th>${t('app.eligibility')}</th><th>${t('app.security_result')}</th>
          ${ranking ? html`<th class="num">${t('app.score')}</th><th class="num">${t('app.rank')}</th>` : null}
          <th>${t('app.outcome')}</th>
        </tr></thead>
        <tbody>
          ${shown.map((a) => html`<tr key=${a.id} data-application-id=${a.id}>
            <td><a class="unit-link" href=${`#/applications/${a.id}`}>${a.unit_name}</a>
              ${a.direct_entry ? html` <span class="badge badge-accent">${t('app.direct_entry')}</span>` : null}
              <div class="mono muted small">${a.credit_code}</div></td>
            <td><${Badge} family="status" code=${a.status} /></td>
            <td class="nowrap">${fmtTime(a.submitted_at)}</td>
            <td>${a.submitted_version ? t('app.versionN', { n: a.submitted_version }) : ''}</td>
            <td>${a.submitted_version ? html`<${Badge} family="elig" code=${a.eligibility} />` : null}</td>
            <td>${a.security_result && a.submitted_version ? html`<${Badge} family="security" code=${a.security_result} />` : null}</td>
            ${ranking ? html`<td class="num">${fmtScore(a.score)}</td><td class="num">${a.rank || ''}</td>` : null}
            <td><${Badge} family="outcome" code=${a.outcome} /></td>
          </tr>`)}
          ${items && shown.length === 0 ? html`<${EmptyRow} cols=${ranking ? 9 : 7} text=${t('apps.empty')} />` : null}
        </tbody>
      </table>
    </div>
    ${!items && !error ? html`<${Loading} />` : html`<div class="list-foot"><span class="muted">${t('common.total', { n: shown.length })}</span></div>`}
  </section>`;
}

// --- downloads ----------------------------------------------------------------------

function ExportsTab({ campaign, user }) {
  const base = `/api/v1/campaigns/${campaign.id}`;
  const published = ['published', 'closed'].includes(campaign.stage);
  return html`<section class="panel tab-panel" id="exports-tab">
    <h3>${t('exports.title')}</h3>
    <ul class="downloads">
      ${can.readRanking(user) ? html`
        <li><a class="btn" id="dl-summary-xlsx" href=${`${base}/summary.xlsx`} download>${t('exports.summaryXlsx')}</a>
          <span class="hint">${t('exports.summaryHint')}</span></li>
        <li><a class="btn" id="dl-summary-csv" href=${`${base}/summary.csv`} download>${t('exports.summaryCsv')}</a></li>` : null}
      <li>${published
        ? html`<a class="btn" id="dl-list-html" href=${`${base}/published-list.html`} target="_blank" rel="noopener">${t('exports.listHtml')}</a>`
        : html`<span class="btn btn-disabled" aria-disabled="true">${t('exports.listHtml')}</span>`}
        ${published
          ? html`<a class="btn" id="dl-list-pdf" href=${`${base}/published-list.pdf`} download>${t('exports.listPdf')}</a>`
          : html`<span class="btn btn-disabled" aria-disabled="true">${t('exports.listPdf')}</span>
            <span class="hint">${t('exports.notPublished')}</span>`}</li>
    </ul>
    <p class="hint">${t('exports.panelHint')}</p>
  </section>`;
}

// --- the page ------------------------------------------------------------------------

export function CampaignPage({ user, id, query }) {
  const [c, setC] = useState(null);
  const [etag, setEtag] = useState(null);
  const [apps, setApps] = useState(null);
  const [pipeline, setPipeline] = useState(null);
  const [error, setError] = useState(null);
  const [tab, setTabState] = useState((query && query.tab) || 'overview');
  const [filter, setFilter] = useState({});
  const [moved, setMoved] = useState(null);
  const full = can.listAllApplications(user);

  const load = async () => {
    try {
      const r = await api.get(`/api/v1/campaigns/${id}`);
      setC(r.data);
      setEtag(r.etag);
    } catch (e) {
      setError(e);
    }
  };
  const loadApps = () => {
    if (!full) return;
    api.getAll(`/api/v1/campaigns/${id}/applications`).then(setApps, setError);
    api.get(`/api/v1/campaigns/${id}/pipeline`).then((r) => setPipeline(r.data), setError);
  };
  useEffect(() => {
    load();
    loadApps();
  }, [id]);

  // A link to another tab of the page already shown (same component) switches tab.
  const wanted = (query && query.tab) || 'overview';
  useEffect(() => {
    setTabState(wanted);
  }, [wanted]);

  const setTab = (x) => {
    setTabState(x);
    replaceQuery({ tab: x === 'overview' ? undefined : x });
    if (x === 'overview') loadApps(); // the board counts what is there now
  };
  const refresh = () => {
    load();
    loadApps();
  };

  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  if (!c) return html`<div class="page"><${Loading} /></div>`;

  const tabs = [{ id: 'overview', label: t('tab.overview') }];
  if (full) {
    tabs.push({ id: 'applications', label: t('tab.applications'), badge: apps ? String(apps.length) : null });
    tabs.push({ id: 'panels', label: t('tab.panels') });
    tabs.push({ id: 'ranking', label: t('tab.ranking') });
    tabs.push({ id: 'notice', label: t('tab.notice') });
    tabs.push({ id: 'exports', label: t('tab.exports') });
  }
  const editable = can.manageCampaigns(user) && ['draft', 'open', 'review'].includes(c.stage);
  const active = tabs.some((x) => x.id === tab) ? tab : 'overview';

  return html`<div class="page" id="campaign-page" data-campaign-id=${c.id} data-stage=${c.stage}>
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/campaigns">${t('nav.campaigns')}</a> / ${c.name}</div>
        <h2 id="campaign-name">${c.name}</h2>
        <div class="subhead">
          <${Badge} family="stage" code=${c.stage} id="campaign-stage" />
          <span>${c.title}</span>
          <span>${t('campaign.deadline_at')}：${fmtTime(c.deadline_at)}</span>
        </div>
      </div>
      <div class="actions">
        ${editable ? html`<a class="btn" id="edit-campaign" href=${`#/campaigns/${c.id}/edit`}>${t('common.edit')}</a>` : null}
        ${can.manageCampaigns(user) ? html`<${StageControl} campaign=${c} etag=${etag} onTab=${setTab} onStale=${refresh}
          onMoved=${(next, tag) => { setC(next); setEtag(tag); setMoved(next.stage); loadApps(); }} />` : null}
      </div>
    </div>
    <${StageStepper} stage=${c.stage} />
    ${moved ? html`<${Notice} kind="ok"><span id="stage-moved">${t('stage.moved', { stage: codeName('stage', moved) })}</span></${Notice}>` : null}
    ${user.role === 'unit' ? html`<${Notice}>${t('campaign.unitHint')} <a href="#/campaigns">${t('nav.applyCampaigns')}</a></${Notice}>` : null}
    ${user.role === 'expert' ? html`<${Notice}>${t('campaign.expertHint')} <a href="#/reviews">${t('nav.reviews')}</a></${Notice}>` : null}
    ${user.role === 'security_reviewer' ? html`<${Notice}>${t('campaign.reviewerHint')} <a href="#/security">${t('nav.security')}</a></${Notice}>` : null}
    ${tabs.length > 1 ? html`<${Tabs} tabs=${tabs} active=${active} onSelect=${setTab} />` : null}
    <div class="tab-body">
      ${active === 'overview' ? html`<div>
          ${full && pipeline ? html`<section class="panel"><h3>${t('pipeline.title')}</h3>
            <${PipelineBoard} pipeline=${pipeline} onTab=${setTab}
              onPick=${(f) => { setFilter(f); setTab('applications'); }} /></section>` : null}
          <${Facts} c=${c} />
        </div>` : null}
      ${active === 'applications' ? html`<${ApplicationsTab} campaign=${c} user=${user} filter=${filter} setFilter=${setFilter} />` : null}
      ${active === 'panels' ? html`<${PanelsTab} campaign=${c} user=${user} onChange=${loadApps} />` : null}
      ${active === 'ranking' ? html`<${RankingTab} campaign=${c} user=${user} onChange=${refresh} />` : null}
      ${active === 'notice' ? html`<${NoticeTab} campaign=${c} etag=${etag} user=${user}
          onCampaign=${(next, tag) => { setC(next); setEtag(tag); }} onChange=${refresh} />` : null}
      ${active === 'exports' ? html`<${ExportsTab} campaign=${c} user=${user} />` : null}
    </div>
  </div>`;
}

// pages/application.js - one application. The unit edits its draft (or the one
// returned for correction) in the editor; everyone else who may read it sees the
// content by section, the versions with their SHA-256 and return reasons, the
// attachments, the eligibility pre-check criterion by criterion. The authority
// returns it for correction, records the paper copy and overrides eligibility
// (each with If-Match); an expert declares conflicts and scores it.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { fmtTime, fmtScore, groupHex } from '../format.js';
import { ErrorBox, Loading, Tabs, Modal, Field, fieldMessage, Notice, EmptyRow, InfoGrid } from '../components/ui.js';
import { Badge, criterionName } from '../components/status.js';
import { Attachments } from '../components/attachments.js';
import { ContentView } from './appcontent.js';
import { ApplicationEditor } from './appeditor.js';
import { ScoreSheet, ConflictBox, AllScores } from './scoring.js';

// The reference lists the application pages need.
export function useRefs() {
  const [refs, setRefs] = useState(null);
  useEffect(() => {
    Promise.all(['attachment-kinds', 'provinces', 'contact-roles', 'capability-fields'].map((n) => api.reference(n).catch(() => [])))
      .then(([kinds, provinces, roles, fields]) => setRefs({ kinds, provinces, roles, fields }));
  }, []);
  return refs;
}

// Whether the unit may still change its application (the server's clock decides).
function editableByUnit(app, campaign) {
  if (app.status === 'draft') return campaign.stage === 'open' && Date.parse(campaign.deadline_at) > Date.now();
  if (app.status === 'returned') return campaign.stage === 'open' || campaign.stage === 'review';
  return false;
}

function Versions({ app }) {
  const [viewing, setViewing] = useState(null);
  const [content, setContent] = useState(null);
  const [error, setError] = useState(null);
  const refs = useRefs();
  const open = async (no) => {
    setViewing(no);
    setContent(null);
    setError(null);
    try {
      const { data } = await api.get(`/api/v1/applications/${app.id}/versions/${no}`);
      setContent(data);
    } catch (e) {
      setError(e);
    }
  };
  return html`<section class="panel" id="versions">
    <h3>${t('app.versions')}</h3>
    <p class="hint">${t('app.versionsHint')}</p>
    <div class="table-wrap"><table class="table" id="versions-table">
      <thead><tr><th>${t('app.version')}</th><th>${t('app.created_at')}</th><th>${t('app.submitted_at')}</th>
        <th>SHA-256</th><th>${t('app.returned_at')}</th><th>${t('app.return_reason')}</th><th></th></tr></thead>
      <tbody>
        ${app.versions.map((v) => html`<tr key=${v.version_no} data-version=${v.version_no}>
          <td class="nowrap">${t('app.versionN', { n: v.version_no })}${v.version_no === app.current_version ? html` <span class="badge badge-info">${t('app.current')}</span>` : null}</td>
          <td class="nowrap">${fmtTime(v.created_at)}</td>
          <td class="nowrap">${fmtTime(v.submitted_at)}</td>
          <td class="mono sha">${v.sha256 || html`<span class="muted">${t('app.notFrozen')}</span>`}</td>
          <td class="nowrap">${fmtTime(v.returned_at)}</td>
          <td class="pre">${v.return_reason || ''}</td>
          <td><button type="button" class="btn btn-small" onClick=${() => open(v.version_no)}>${t('app.viewVersion')}</button></td>
        </tr>`)}
      </tbody>
    </table></div>
    ${viewing ? html`<${Modal} title=${t('app.versionN', { n: viewing })} onClose=${() => setViewing(null)}>
        <${ErrorBox} error=${error} />
        ${content && refs ? html`<div class="version-view">
            ${content.sha256 ? html`<p>SHA-256：<span class="mono sha">${content.sha256}</span></p>` : null}
            <${ContentView} content=${content.content} refs=${refs} skip=${content.sha256 ? [] : ['attachments']} />
          </div>` : error ? null : html`<${Loading} />`}
      </${Modal}>` : null}
  </section>`;
}

function Eligibility({ app }) {
  const checks = app.eligibility_checks || [];
  return html`<section class="panel" id="eligibility">
    <h3>${t('app.eligibilityTitle')}</h3>
    <div class="elig-summary">
      <span>${t('app.precheck')}：<${Badge} family="elig" code=${app.eligibility_precheck} /></span>
      ${app.eligibility_override ? html`<span>${t('app.override')}：<${Badge} family="elig" code=${app.eligibility_override} /></span>` : null}
      <span>${t('app.effective')}：<${Badge} family="elig" code=${app.eligibility} id="effective-eligibility" /></span>
      ${app.direct_entry ? html`<span class="badge badge-accent">${t('app.direct_entry')}</span>` : null}
    </div>
    ${app.override_reason ? html`<div class="alert alert-info"><strong>${t('app.overrideReason')}：</strong><span class="pre">${app.override_reason}</span></div>` : null}
    ${checks.length === 0 ? html`<p class="muted">${t('app.noChecks')}</p>` : html`<div class="table-wrap"><table class="table" id="checks-table">
      <thead><tr><th>${t('app.criterion')}</th><th>${t('app.verdict')}</th><th>${t('app.reason')}</th><th>${t('app.evidence')}</th></tr></thead>
      <tbody>${checks.map((c) => html`<tr key=${c.code} data-check=${c.code} class=${c.passed ? '' : 'row-fail'}>
        <td><strong>${criterionName(c.code)}</strong><div class="mono muted small">${c.code}</div></td>
        <td>${c.passed ? html`<span class="badge badge-ok">✓ ${t('app.passed')}</span>` : html`<span class="badge badge-error">✗ ${t('app.failed')}</span>`}</td>
        <td>${c.reason}</td>
        <td class="mono small">${c.evidence}</td>
      </tr>`)}</tbody>
    </table></div>`}
  </section>`;
}

// The authority's actions: each a small form in a dialog, sent with If-Match.
const ACTIONS = {
  return: { path: 'return', fields: ['reason'] },
  paper: { path: 'paper', fields: ['matches', 'note'] },
  eligibility: { path: 'eligibility', fields: ['eligible', 'reason'] },
};

function ActionDialog({ kind, app, etag, onDone, onCancel, onStale }) {
  const [f, setF] = useState({ reason: '', note: '', matches: 'true', eligible: app.eligibility === 'eligible' ? 'false' : 'true' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    let body;
    if (kind === 'return') body = { reason: f.reason.trim() };
    if (kind === 'paper') body = { matches: f.matches === 'true', ...(f.note.trim() ? { note: f.note.trim() } : {}) };
    if (kind === 'eligibility') body = { eligible: f.eligible === 'true', reason: f.reason.trim() };
    setBusy(true);
    setError(null);
    try {
      const r = await api.post(`/api/v1/applications/${app.id}/${ACTIONS[kind].path}`, body, { ifMatch: etag });
      onDone(r.data, r.etag, kind);
    } catch (e) {
      setBusy(false);
      if (e.code === 'precondition_failed') onStale();
      else setError(e);
    }
  };
  const sha = (app.versions.find((v) => v.version_no === app.submitted_version) || {}).sha256;
  const radio = (name, value, label) => html`<label class="radio"><input type="radio" name=${name} id=${`${name}-${value}`}
    checked=${f[name] === value} onChange=${() => setF({ ...f, [name]: value })} /><span>${label}</span></label>`;
  return html`<${Modal} title=${t(`action.app.${kind}`)} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn btn-primary" id="action-confirm" disabled=${busy} onClick=${go}>${t('common.confirm')}</button>`}>
    <p>${t(`action.app.${kind}.explain`)}</p>
    ${kind === 'paper' ? html`<div>
      <p>${t('paper.compare')}</p>
      <p class="mono sha sha-big">${groupHex(sha)}</p>
      <div class="radio-group">${radio('matches', 'true', t('paper.matches'))}${radio('matches', 'false', t('paper.differs'))}</div>
      <${Field} id="f-note" label=${t('paper.note')} error=${fieldMessage(error, 'note')}>
        <textarea id="f-note" rows="3" maxlength="2000" value=${f.note} onInput=${(e) => setF({ ...f, note: e.target.value })}></textarea>
      </${Field}></div>` : null}
    ${kind === 'eligibility' ? html`<div class="radio-group">${radio('eligible', 'true', t('elig.eligible'))}${radio('eligible', 'false', t('elig.ineligible'))}</div>` : null}
    ${kind !== 'paper' ? html`<${Field} id="f-reason" label=${t('action.reason')} required=${true} error=${fieldMessage(error, 'reason')}
        hint=${t('action.reasonHint')}>
      <textarea id="f-reason" rows="4" maxlength="2000" value=${f.reason} onInput=${(e) => setF({ ...f, reason: e.target.value })}></textarea>
    </${Field}>` : null}
    ${error && !['reason', 'note'].includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

function ReviewPanel({ app, campaign, user }) {
  return html`<div>
    <section class="panel" id="review-facts">
      <h3>${t('app.reviewTitle')}</h3>
      <${InfoGrid} items=${[
        [t('app.security_result'), app.security_result ? html`<${Badge} family="security" code=${app.security_result} />` : ''],
        [t('app.security_notes'), app.security_notes ? html`<span class="pre">${app.security_notes}</span>` : ''],
        [t('app.score'), fmtScore(app.score)],
        [t('app.rank'), app.rank ? String(app.rank) : ''],
        [t('app.outcome'), html`<${Badge} family="outcome" code=${app.outcome} />`],
        [t('app.outcome_reason'), app.outcome_reason ? html`<span class="pre">${app.outcome_reason}</span>` : ''],
        [t('paper.title'), app.paper ? html`<span>${fmtTime(app.paper.received_at)} ·
          ${app.paper.matches ? html`<span class="badge badge-ok">${t('paper.matches')}</span>` : html`<span class="badge badge-error">${t('paper.differs')}</span>`}
          ${app.paper.note ? html`<span class="pre"> ${app.paper.note}</span>` : null}</span>` : t('paper.none'), true],
      ]} />
      ${app.submitted_version && can.securityView(user) ? html`<p><a href=${`#/applications/${app.id}/security`}>${t('app.openSecurityView')}</a></p>` : null}
    </section>
    ${app.submitted_version ? html`<section class="panel"><h3>${t('score.allTitle')}</h3><${AllScores} app=${app} campaign=${campaign} /></section>` : null}
  </div>`;
}

// What the unit sees of its submitted application: the frozen version's hash for the paper copy.
function SubmittedBox({ app, just }) {
  const v = app.versions.find((x) => x.version_no === app.submitted_version);
  if (!v || !v.sha256) return null;
  return html`<section class=${just ? 'panel submitted-box submitted-just' : 'panel submitted-box'} id="submitted-box">
    ${just ? html`<div class="alert alert-ok" role="status" id="submit-done">${t('app.submittedNow')}</div>` : null}
    <h3>${t('app.submittedTitle')}</h3>
    <${InfoGrid} items=${[
      [t('app.version'), t('app.versionN', { n: v.version_no })],
      [t('app.submitted_at'), fmtTime(v.submitted_at)],
      ['SHA-256', html`<span class="mono sha" id="submitted-sha256">${v.sha256}</span>`, true],
    ]} />
    <p class="hint">${t('app.shaHint')}</p>
    <a class="btn btn-primary" id="print-cover" href=${`#/applications/${app.id}/cover`}>${t('app.printCover')}</a>
  </section>`;
}

export function ApplicationPage({ user, id, query }) {
  const [app, setApp] = useState(null);
  const [etag, setEtag] = useState(null);
  const [campaign, setCampaign] = useState(null);
  const [panel, setPanel] = useState(undefined);
  const [attachments, setAttachments] = useState(null);
  const [error, setError] = useState(null);
  const [tab, setTabState] = useState((query && query.tab) || 'content');
  const [acting, setActing] = useState(null);
  const [stale, setStale] = useState(false);
  const [done, setDone] = useState(null);
  const [just, setJust] = useState(false);
  const [reloads, setReloads] = useState(0);
  const refs = useRefs();

  const load = async () => {
    setError(null);
    setStale(false);
    try {
      const r = await api.get(`/api/v1/applications/${id}`);
      setApp(r.data);
      setEtag(r.etag);
      const c = await api.get(`/api/v1/campaigns/${r.data.campaign_id}`);
      setCampaign(c.data);
      if (can.readPanels(user) && r.data.submitted_version) {
        const p = await api.get(`/api/v1/campaigns/${r.data.campaign_id}/panels`);
        setPanel(p.data.items.find((x) => x.applications.includes(r.data.id)) || null);
      } else {
        setPanel(null);
      }
      api.getAll(`/api/v1/applications/${id}/attachments`).then(setAttachments, () => setAttachments([]));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load();
  }, [id, reloads]);

  // A link to another tab of the page already shown (same component) switches tab.
  const wanted = (query && query.tab) || 'content';
  useEffect(() => {
    setTabState(wanted);
  }, [wanted]);

  const setTab = (x) => {
    setTabState(x);
    replaceQuery({ tab: x === 'content' ? undefined : x });
  };

  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  if (!app || !campaign || !refs || panel === undefined) return html`<div class="page"><${Loading} /></div>`;

  const head = html`<div class="page-head">
    <div>
      <div class="crumbs">${user.role === 'unit' ? html`<a href="#/campaigns">${t('nav.applyCampaigns')}</a>` : user.role === 'expert' ? html`<a href="#/reviews">${t('nav.reviews')}</a>` : html`<a href=${`#/campaigns/${campaign.id}?tab=applications`}>${campaign.name}</a>`} / ${app.unit_name}</div>
      <h2 id="application-title">${app.unit_name}</h2>
      <div class="subhead">
        <span>${campaign.name}</span>
        <span class="mono">${app.credit_code}</span>
        <${Badge} family="status" code=${app.status} id="application-status-badge" />
        ${app.outcome !== 'pending' ? html`<${Badge} family="outcome" code=${app.outcome} />` : null}
      </div>
    </div>
    ${can.manageApplication(user) && app.submitted_version ? html`<div class="actions">
      ${app.status === 'submitted' && ['open', 'review'].includes(campaign.stage)
        ? html`<button type="button" class="btn btn-danger-outline" id="action-return" onClick=${() => setActing('return')}>${t('action.app.return')}</button>` : null}
      ${['open', 'review'].includes(campaign.stage) ? html`
        <button type="button" class="btn" id="action-paper" onClick=${() => setActing('paper')}>${t('action.app.paper')}</button>
        <button type="button" class="btn" id="action-eligibility" onClick=${() => setActing('eligibility')}>${t('action.app.eligibility')}</button>` : null}
    </div>` : null}
  </div>`;

  // The unit's editor.
  if (user.role === 'unit' && editableByUnit(app, campaign)) {
    return html`<div class="page page-wide" id="application-page" data-application-id=${app.id}>
      ${head}
      <${ApplicationEditor} key=${`${app.id}-${reloads}`} app=${app} etag=${etag} campaign=${campaign} refs=${refs}
        onSaved=${(d, tag) => { setApp(d); setEtag(tag); }}
        onSubmitted=${(d, tag) => { setApp(d); setEtag(tag); setJust(true); setTab('content'); window.scrollTo(0, 0); }}
        onReload=${() => { setApp(null); setReloads((n) => n + 1); }} />
    </div>`;
  }

  const tabs = [
    { id: 'content', label: t('app.tab.content') },
    { id: 'attachments', label: t('app.tab.attachments'), badge: attachments ? String(attachments.length) : null },
    { id: 'versions', label: t('app.tab.versions'), badge: String(app.versions.length) },
    { id: 'eligibility', label: t('app.tab.eligibility') },
  ];
  if (can.readAllScores(user)) tabs.push({ id: 'review', label: t('app.tab.review') });
  if (can.score(user)) tabs.push({ id: 'score', label: t('app.tab.score') });
  if (can.score(user) && panel && panel.status === 'closed') tabs.push({ id: 'allscores', label: t('app.tab.allScores') });
  const active = tabs.some((x) => x.id === tab) ? tab : 'content';
  const lateDraft = user.role === 'unit' && app.status === 'draft';

  return html`<div class="page" id="application-page" data-application-id=${app.id} data-status=${app.status}>
    ${head}
    ${stale ? html`<${ErrorBox} title=${t('app.stale')}><button type="button" class="btn" onClick=${load}>${t('common.reload')}</button></${ErrorBox}>` : null}
    ${done ? html`<${Notice} kind="ok"><span id="action-done">${t(`action.app.${done}.done`)}</span></${Notice}>` : null}
    ${lateDraft ? html`<${Notice} kind="warn">${t('app.draftClosed')}</${Notice}>` : null}
    ${user.role === 'unit' && app.submitted_version ? html`<${SubmittedBox} app=${app} just=${just} />` : null}
    ${user.role === 'expert' ? html`<div class="expert-strip">
        ${panel ? html`<span>${t('app.panel')}：<strong>${panel.name}</strong> <${Badge} family="panel" code=${panel.status} /></span>` : null}
        <button type="button" class="btn btn-primary" id="go-score" onClick=${() => setTab('score')}>${t('app.tab.score')}</button>
      </div>` : null}
    <${Tabs} tabs=${tabs} active=${active} onSelect=${setTab} />
    <div class="tab-body">
      ${active === 'content' ? html`<${ContentView} content=${app.content} refs=${refs} />` : null}
      ${active === 'attachments' ? html`<section class="panel">${attachments
        ? html`<${Attachments} applicationId=${app.id} kinds=${refs.kinds} attachments=${attachments} editable=${false} onChange=${setAttachments} />`
        : html`<${Loading} />`}</section>` : null}
      ${active === 'versions' ? html`<${Versions} app=${app} />` : null}
      ${active === 'eligibility' ? html`<${Eligibility} app=${app} />` : null}
      ${active === 'review' ? html`<${ReviewPanel} app=${app} campaign=${campaign} user=${user} />` : null}
      ${active === 'score' ? html`<div>
          ${panel && panel.status === 'open' ? html`<${ConflictBox} app=${app} />` : null}
          <${ScoreSheet} app=${app} campaign=${campaign} panel=${panel} />
        </div>` : null}
      ${active === 'allscores' ? html`<section class="panel"><h3>${t('score.allTitle')}</h3><${AllScores} app=${app} campaign=${campaign} /></section>` : null}
    </div>
    ${acting ? html`<${ActionDialog} kind=${acting} app=${app} etag=${etag} onCancel=${() => setActing(null)}
      onStale=${() => { setActing(null); setStale(true); }}
      onDone=${(d, tag, kind) => { setApp(d); setEtag(tag); setActing(null); setDone(kind); }} />` : null}
  </div>`;
}

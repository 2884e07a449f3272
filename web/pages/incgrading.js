// pages/incgrading.js - grading (定级): the facts the CAC grading guide uses, the
// helper's proposal and its reason shown while they are typed (POST
// /reference/grading-proposal, which saves nothing), then confirming the proposal
// or choosing another level with a reason (POST /incidents/{id}/grade, If-Match).
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Field, fieldMessage, InfoGrid } from '../components/ui.js';
import { LEVELS, LevelBadge, levelName } from './incmodel.js';

const CHOICES = {
  importance: ['especially_important', 'important', 'general'],
  loss: ['especially_serious', 'serious', 'larger', 'smaller'],
  social_impact: LEVELS,
};
const NUMBERS = ['personal_records', 'direct_loss_cny', 'cii_outage_whole_min', 'cii_outage_main_min',
  'portal_down_min', 'defacement_min', 'people_affected'];
const PROPOSE_DELAY_MS = 300;

function factsForm(facts) {
  const f = {};
  for (const k of Object.keys(CHOICES)) f[k] = facts && facts[k] ? facts[k] : '';
  for (const k of NUMBERS) f[k] = facts && facts[k] !== undefined && facts[k] !== null ? String(facts[k]) : '';
  return f;
}

// The facts as the API takes them; a number that is not whole is left to the server to name.
function factsBody(f) {
  const out = {};
  for (const k of Object.keys(CHOICES)) if (f[k]) out[k] = f[k];
  for (const k of NUMBERS) {
    const s = f[k].trim().replace(/[,，\s]/g, '');
    if (s !== '') out[k] = /^\d+$/.test(s) ? Number(s) : s;
  }
  return out;
}

const choiceName = (k, v) => (k === 'social_impact' ? levelName(v) : t(`grade.${k}.${v}`));

// The recorded grading, read-only.
export function GradingView({ inc }) {
  const facts = inc.grading_facts || {};
  const keys = Object.keys(facts);
  return html`<div id="grading-view">
    <${InfoGrid} items=${[
      [t('inc.level'), html`<${LevelBadge} level=${inc.level} id="incident-level" />`],
      [t('grade.proposed'), inc.level_proposed ? html`<${LevelBadge} level=${inc.level_proposed} />` : ''],
      [t('grade.graded_at'), fmtTime(inc.graded_at)],
      [t('grade.reason'), inc.level_reason, true],
      [t('grade.override_reason'), inc.level_override_reason, true],
      [t('grade.facts'), keys.length ? html`<ul class="plain-list">${keys.map((k) => html`<li key=${k}>
        ${t(`grade.f.${k}`)}：${CHOICES[k] ? choiceName(k, facts[k]) : String(facts[k])}</li>`)}</ul>` : '', true],
    ]} />
  </div>`;
}

// The authority's grading form.
export function GradingForm({ inc, etag, onGraded }) {
  const [f, setF] = useState(() => factsForm(inc.grading_facts));
  const [proposal, setProposal] = useState(null);
  const [proposalError, setProposalError] = useState(null);
  const [override, setOverride] = useState(false);
  const [level, setLevel] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const timer = useRef(null);

  // Asks the helper after each pause in typing; the last answer wins.
  const seq = useRef(0);
  useEffect(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      const n = ++seq.current;
      try {
        const r = await api.post('/api/v1/reference/grading-proposal', { facts: factsBody(f) });
        if (n === seq.current) {
          setProposal(r.data);
          setProposalError(null);
        }
      } catch (e) {
        if (n === seq.current) {
          setProposal(null);
          setProposalError(e);
        }
      }
    }, PROPOSE_DELAY_MS);
    return () => clearTimeout(timer.current);
  }, [JSON.stringify(f)]);

  const set = (k, v) => setF((x) => ({ ...x, [k]: v }));
  const grade = async (withLevel) => {
    setBusy(true);
    setError(null);
    const body = { facts: factsBody(f) };
    if (withLevel) {
      body.level = level || undefined;
      body.reason = reason.trim() || undefined;
    }
    try {
      const r = await api.post(`/api/v1/incidents/${inc.id}/grade`, body, { ifMatch: etag });
      setOverride(false);
      onGraded(r.data, r.etag);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const factError = (k) => fieldMessage(error, `facts.${k}`) || fieldMessage(proposalError, `facts.${k}`);
  const fid = (k) => `grade-${k}`;
  return html`<div class="grading-form" id="grading-form">
    <p class="hint">${t('grade.hint')}</p>
    <div class="form-grid form-grid-dense">
      ${Object.keys(CHOICES).map((k) => html`<${Field} key=${k} id=${fid(k)} label=${t(`grade.f.${k}`)} error=${factError(k)}>
        <select id=${fid(k)} value=${f[k]} onChange=${(e) => set(k, e.target.value)}>
          <option value="">${t('grade.unknown')}</option>
          ${CHOICES[k].map((v) => html`<option key=${v} value=${v}>${choiceName(k, v)}</option>`)}
        </select>
      </${Field}>`)}
      ${NUMBERS.map((k) => html`<${Field} key=${k} id=${fid(k)} label=${t(`grade.f.${k}`)} error=${factError(k)}>
        <input id=${fid(k)} inputmode="numeric" value=${f[k]} autocomplete="off" onInput=${(e) => set(k, e.target.value)} />
      </${Field}>`)}
    </div>
    <div class=${`grading-proposal${proposal && proposal.level ? ` inc-level-box-${proposal.level}` : ''}`} id="grading-proposal"
        data-level=${proposal ? proposal.level || '' : ''} aria-live="polite">
      <div class="grading-proposal-head">${t('grade.proposal')}：
        ${proposal ? (proposal.level ? html`<${LevelBadge} level=${proposal.level} id="proposal-level" />` : html`<span class="muted">${t('grade.noProposal')}</span>`)
          : html`<span class="muted">${t('common.loading')}</span>`}</div>
      ${proposal ? html`<div class="grading-reason" id="proposal-reason">${proposal.reason}</div>` : null}
    </div>
    <div class="form-actions-inline grading-buttons">
      <button type="button" class="btn btn-primary" id="grade-confirm" disabled=${busy || !proposal || !proposal.level}
        onClick=${() => grade(false)}>${proposal && proposal.level ? t('grade.confirm', { level: levelName(proposal.level) }) : t('grade.confirmNone')}</button>
      <button type="button" class="btn" id="grade-override-open" onClick=${() => setOverride(!override)}>${t('grade.overrideOpen')}</button>
    </div>
    ${override ? html`<div class="grading-override form-grid">
      <${Field} id="grade-level" label=${t('grade.chooseLevel')} required=${true} error=${fieldMessage(error, 'level')}>
        <select id="grade-level" value=${level} onChange=${(e) => setLevel(e.target.value)}>
          <option value="">${t('form.selectPlaceholder')}</option>
          ${LEVELS.map((l) => html`<option key=${l} value=${l}>${levelName(l)}</option>`)}
        </select>
      </${Field}>
      <${Field} id="grade-reason" label=${t('grade.override_reason')} required=${true} error=${fieldMessage(error, 'reason')} wide=${true}>
        <textarea id="grade-reason" rows="2" value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>
      </${Field}>
      <div class="field field-button"><button type="button" class="btn btn-primary" id="grade-override" disabled=${busy || !level}
        onClick=${() => grade(true)}>${t('grade.overrideSave')}</button></div>
    </div>` : null}
    ${error && !['level', 'reason'].includes(error.field) && !(error.field || '').startsWith('facts.') ? html`<${ErrorBox} error=${error} />` : null}
  </div>`;
}

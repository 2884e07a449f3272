// pages/outcome.js - from scores to the published list: the ranking with its
// tie-break and the direct entries, the proposed list the authority approves,
// the public notice period, and objections (record, investigate, uphold or
// reject with findings; an upheld one cancels that unit's selection).
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime, fmtScore, toDateTimeParts, fromDateTimeParts } from '../format.js';
import { ErrorBox, Loading, EmptyRow, Modal, Field, fieldMessage, Notice, ConfirmDialog } from '../components/ui.js';
import { Badge } from '../components/status.js';

export function RankingTab({ campaign, user, onChange }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [propError, setPropError] = useState(null);
  const [proposed, setProposed] = useState(null);
  const load = () => api.get(`/api/v1/campaigns/${campaign.id}/ranking`).then((r) => setData(r.data), setError);
  useEffect(() => {
    load();
  }, [campaign.id]);

  const propose = async () => {
    setBusy(true);
    setPropError(null);
    try {
      const r = await api.post(`/api/v1/campaigns/${campaign.id}/proposal`, {});
      setProposed(r.data.proposed);
      setAsking(false);
      load();
      onChange();
    } catch (e) {
      setPropError(e);
    } finally {
      setBusy(false);
    }
  };

  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!data) return html`<${Loading} />`;
  const direct = data.items.filter((x) => x.direct_entry);
  const canPropose = can.manageCampaigns(user) && campaign.stage === 'review';
  const nameOf = (id) => (data.items.find((x) => x.application_id === id) || {}).unit_name || `#${id}`;
  return html`<section class="tab-panel" id="ranking-tab">
    <div class="panel">
      <div class="section-head">
        <h3>${t('ranking.title')}</h3>
        ${canPropose ? html`<button type="button" class="btn btn-primary" id="make-proposal"
          onClick=${() => { setPropError(null); setAsking(true); }}>${t('ranking.propose')}</button>` : null}
      </div>
      <div class="ranking-facts">
        <span>${t('ranking.places', { n: data.places })}</span>
        <span class=${data.unreviewed ? 'text-warn' : ''} id="ranking-unreviewed">${t('ranking.unreviewed', { n: data.unreviewed })}</span>
        <span class=${data.unscored ? 'text-warn' : ''} id="ranking-unscored">${t('ranking.unscored', { n: data.unscored })}</span>
      </div>
      <p class="hint">${t('ranking.aggregation')}</p>
      ${proposed ? html`<${Notice} kind="ok"><span id="proposal-done">${t('ranking.proposed', { n: proposed.length })}</span>
        ${proposed.length ? html`<span>：${proposed.map(nameOf).join('、')}</span>` : null}</${Notice}>` : null}
      <div class="table-wrap">
        <table class="table" id="ranking-table">
          <thead><tr>
            <th class="num">${t('app.rank')}</th><th>${t('app.unit')}</th><th class="num">${t('app.score')}</th>
            <th class="num">${t('ranking.tiebreak')}</th><th>${t('app.submitted_at')}</th>
            <th>${t('app.eligibility')}</th><th>${t('app.security_result')}</th><th>${t('app.outcome')}</th>
          </tr></thead>
          <tbody>
            ${data.items.map((x) => html`<tr key=${x.application_id} data-application-id=${x.application_id}
                class=${x.outcome === 'proposed' || x.outcome === 'selected' ? 'row-now' : x.rank ? '' : 'row-past'}>
              <td class="num">${x.rank || ''}</td>
              <td><a href=${`#/applications/${x.application_id}`}>${x.unit_name}</a>
                ${x.direct_entry ? html` <span class="badge badge-accent">${t('app.direct_entry')}</span>` : null}</td>
              <td class="num">${fmtScore(x.score)}</td>
              <td class="num">${fmtScore(x.tiebreak)}</td>
              <td class="nowrap">${fmtTime(x.submitted_at)}</td>
              <td><${Badge} family="elig" code=${x.eligibility} /></td>
              <td><${Badge} family="security" code=${x.security_result} /></td>
              <td><${Badge} family="outcome" code=${x.outcome} /></td>
            </tr>`)}
            ${data.items.length === 0 ? html`<${EmptyRow} cols=${8} text=${t('ranking.empty')} />` : null}
          </tbody>
        </table>
      </div>
      ${direct.length ? html`<p class="hint">${t('ranking.directHint', { n: direct.length })}</p>` : null}
    </div>
    ${asking ? html`<${ConfirmDialog} title=${t('ranking.propose')} message=${t('ranking.proposeConfirm', { n: data.places })}
      busy=${busy} error=${propError} onConfirm=${propose} onCancel=${() => setAsking(false)} />` : null}
  </section>`;
}

// --- the notice and the objections --------------------------------------------------

function NoticePeriod({ campaign, etag, onCampaign }) {
  const s = toDateTimeParts(campaign.notice_starts_at);
  const e = toDateTimeParts(campaign.notice_ends_at);
  const [f, setF] = useState({ sd: s.date, st: s.time, ed: e.date, et: e.time });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const editable = ['open', 'review'].includes(campaign.stage);
  const save = async (ev) => {
    ev.preventDefault();
    const starts = fromDateTimeParts(f.sd, f.st);
    const ends = fromDateTimeParts(f.ed, f.et);
    if (!starts) return setError({ code: 'invalid', field: 'notice_starts_at', message: t('err.badTime'), local: true });
    if (!ends) return setError({ code: 'invalid', field: 'notice_ends_at', message: t('err.badTime'), local: true });
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const r = await api.patch(`/api/v1/campaigns/${campaign.id}`, { notice_starts_at: starts, notice_ends_at: ends }, { ifMatch: etag });
      onCampaign(r.data, r.etag);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const pair = (label, id, dk, tk, field) => html`<${Field} id=${id} label=${label} required=${true} error=${fieldMessage(error, field)} hint=${t('campaign.cstHint')}>
    <div class="datetime">
      <input id=${id} type="date" value=${f[dk]} disabled=${!editable} onInput=${(x) => setF({ ...f, [dk]: x.target.value })} />
      <input id=${`${id}-time`} type="time" value=${f[tk]} disabled=${!editable} aria-label=${`${label} ${t('campaign.time')}`}
        onInput=${(x) => setF({ ...f, [tk]: x.target.value })} />
    </div></${Field}>`;
  return html`<form class="panel" id="notice-period" onSubmit=${save} novalidate>
    <h3>${t('notice.period')}</h3>
    <div class="form-grid">
      ${pair(t('campaign.notice_starts_at'), 'f-notice_starts_at', 'sd', 'st', 'notice_starts_at')}
      ${pair(t('campaign.notice_ends_at'), 'f-notice_ends_at', 'ed', 'et', 'notice_ends_at')}
    </div>
    ${error && !error.local && !['notice_starts_at', 'notice_ends_at'].includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
    ${saved ? html`<${Notice} kind="ok">${t('common.saved')}</${Notice}>` : null}
    ${editable ? html`<div class="form-actions-inline"><button type="submit" class="btn btn-primary" id="save-notice" disabled=${busy}>${t('notice.setPeriod')}</button></div>`
      : html`<p class="hint">${t('notice.periodFixed')}</p>`}
  </form>`;
}

function ObjectionForm({ campaign, proposed, onDone, onCancel }) {
  const [f, setF] = useState({ application_id: '', complainant: '', content: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = { application_id: Number(f.application_id) || 0, content: f.content.trim() };
      if (f.complainant.trim()) body.complainant = f.complainant.trim();
      await api.post(`/api/v1/campaigns/${campaign.id}/objections`, body);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${t('objections.new')} onClose=${onCancel}
    footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
      <button type="button" class="btn btn-primary" id="objection-save" disabled=${busy} onClick=${save}>${t('common.save')}</button>`}>
    <${Field} id="f-application_id" label=${t('objections.application')} required=${true} error=${fieldMessage(error, 'application_id')}>
      <select id="f-application_id" value=${f.application_id} onChange=${(e) => setF({ ...f, application_id: e.target.value })}>
        <option value="">${t('form.selectPlaceholder')}</option>
        ${proposed.map((a) => html`<option key=${a.id} value=${a.id}>${a.unit_name}</option>`)}
      </select>
    </${Field}>
    <${Field} id="f-complainant" label=${t('objections.complainant')} error=${fieldMessage(error, 'complainant')}
        hint=${t('objections.complainantHint')}>
      <input id="f-complainant" value=${f.complainant} onInput=${(e) => setF({ ...f, complainant: e.target.value })} />
    </${Field}>
    <${Field} id="f-content" label=${t('objections.content')} required=${true} error=${fieldMessage(error, 'content')}>
      <textarea id="f-content" rows="5" maxlength="2000" value=${f.content} onInput=${(e) => setF({ ...f, content: e.target.value })}></textarea>
    </${Field}>
    ${error && !['application_id', 'complainant', 'content'].includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

function DecisionForm({ objection, unitName, onDone, onCancel }) {
  const [status, setStatus] = useState(objection.status === 'received' ? 'investigating' : 'rejected');
  const [findings, setFindings] = useState(objection.findings || '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = { status };
      if (findings.trim()) body.findings = findings.trim();
      await api.post(`/api/v1/objections/${objection.id}/decision`, body);
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${t('objections.decideTitle', { name: unitName })} onClose=${onCancel}
    footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
      <button type="button" class=${status === 'upheld' ? 'btn btn-danger' : 'btn btn-primary'} id="decision-save" disabled=${busy} onClick=${save}>${t('common.save')}</button>`}>
    <p class="pre objection-content">${objection.content}</p>
    <div class="radio-group" role="radiogroup" aria-label=${t('objections.status')}>
      ${['investigating', 'upheld', 'rejected'].map((s) => html`<label key=${s} class="radio">
        <input type="radio" name="objection-status" value=${s} id=${`decision-${s}`} checked=${status === s} onChange=${() => setStatus(s)} />
        <span>${t(`objection.action.${s}`)}</span></label>`)}
    </div>
    ${status === 'upheld' ? html`<div class="alert alert-warn">${t('objections.upheldWarn')}</div>` : null}
    <${Field} id="f-findings" label=${t('objections.findings')} required=${status !== 'investigating'} error=${fieldMessage(error, 'findings')}>
      <textarea id="f-findings" rows="5" maxlength="2000" value=${findings} onInput=${(e) => setFindings(e.target.value)}></textarea>
    </${Field}>
    ${error && error.field !== 'findings' ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

export function NoticeTab({ campaign, etag, user, onCampaign, onChange }) {
  const [items, setItems] = useState(null);
  const [apps, setApps] = useState([]);
  const [error, setError] = useState(null);
  const [adding, setAdding] = useState(false);
  const [deciding, setDeciding] = useState(null);
  const manage = can.manageObjections(user) && campaign.stage === 'notice';
  const load = () => {
    api.get(`/api/v1/campaigns/${campaign.id}/objections`).then((r) => setItems(r.data.items), setError);
    api.getAll(`/api/v1/campaigns/${campaign.id}/applications`).then(setApps, () => {});
  };
  useEffect(load, [campaign.id]);
  const nameOf = (id) => (apps.find((a) => a.id === id) || {}).unit_name || `#${id}`;
  const proposed = apps.filter((a) => a.outcome === 'proposed');
  const undecided = (items || []).filter((o) => o.status === 'received' || o.status === 'investigating').length;
  return html`<section class="tab-panel" id="notice-tab">
    ${can.manageCampaigns(user) ? html`<${NoticePeriod} campaign=${campaign} etag=${etag} onCampaign=${onCampaign} />` : null}
    <div class="panel">
      <div class="section-head">
        <h3>${t('objections.title')}<span class="count">${items ? items.length : ''}</span></h3>
        ${manage ? html`<button type="button" class="btn btn-primary" id="new-objection" onClick=${() => setAdding(true)}>＋ ${t('objections.new')}</button>` : null}
      </div>
      ${campaign.stage === 'notice' ? html`<p class="hint">${t('objections.publishHint', { n: undecided })}</p>` : null}
      ${campaign.stage !== 'notice' && can.manageObjections(user) ? html`<p class="hint">${t('objections.onlyInNotice')}</p>` : null}
      <${ErrorBox} error=${error} />
      ${!items && !error ? html`<${Loading} />` : null}
      ${items ? html`<div class="table-wrap"><table class="table" id="objections-table">
        <thead><tr>
          <th>${t('objections.received_at')}</th><th>${t('objections.application')}</th><th>${t('objections.complainant')}</th>
          <th>${t('objections.content')}</th><th>${t('objections.status')}</th><th>${t('objections.findings')}</th>
          ${manage ? html`<th>${t('common.actions')}</th>` : null}
        </tr></thead>
        <tbody>
          ${items.map((o) => html`<tr key=${o.id} data-objection-id=${o.id}>
            <td class="nowrap">${fmtTime(o.received_at)}</td>
            <td><a href=${`#/applications/${o.application_id}`}>${nameOf(o.application_id)}</a></td>
            <td>${o.complainant || html`<span class="muted">${t('objections.anonymous')}</span>`}</td>
            <td class="pre">${o.content}</td>
            <td><${Badge} family="objection" code=${o.status} />${o.decided_at ? html`<div class="muted small">${fmtTime(o.decided_at)}</div>` : null}</td>
            <td class="pre">${o.findings || ''}</td>
            ${manage ? html`<td>${o.status === 'received' || o.status === 'investigating'
              ? html`<button type="button" class="btn btn-small" id=${`decide-${o.id}`} onClick=${() => setDeciding(o)}>${t('objections.decide')}</button>` : null}</td>` : null}
          </tr>`)}
          ${items.length === 0 ? html`<${EmptyRow} cols=${manage ? 7 : 6} text=${t('objections.empty')} />` : null}
        </tbody>
      </table></div>` : null}
    </div>
    ${adding ? html`<${ObjectionForm} campaign=${campaign} proposed=${proposed} onCancel=${() => setAdding(false)}
      onDone=${() => { setAdding(false); load(); onChange(); }} />` : null}
    ${deciding ? html`<${DecisionForm} objection=${deciding} unitName=${nameOf(deciding.application_id)} onCancel=${() => setDeciding(null)}
      onDone=${() => { setDeciding(null); load(); onChange(); }} />` : null}
  </section>`;
}

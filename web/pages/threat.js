// pages/threat.js - one threat report: its facts, five-tuples, indicators by role,
// disposal suggestion, evidence files, the review history with the authority's
// comments. Whoever filed it edits and submits it (again, once returned); the
// authority accepts, returns or rejects it with a comment, makes an incident of an
// accepted one, and sends the disposal notices to the owners (threatdisposal.js).
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { navigate } from '../router.js';
import { fmtTime, fmtBytes } from '../format.js';
import { ErrorBox, Loading, InfoGrid, EmptyRow, Modal, Field, Notice, fieldMessage } from '../components/ui.js';
import {
  ThreatStatusBadge, categoryName, measureName, blockName, roleName, typeName, protocolName, ROLES, joined, paren,
} from './threatmodel.js';
import { DisposalPanel, ReportNotices } from './threatdisposal.js';

const DECISIONS = ['accept', 'return', 'reject_duplicate', 'reject_unfounded'];
const MAX_FILE = 20 * 1024 * 1024;

function ReviewDialog({ report, etag, onDone, onCancel }) {
  const [decision, setDecision] = useState('accept');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/threat-reports/${report.id}/review`,
        { decision, comment: comment.trim() || undefined }, { ifMatch: etag });
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${t('threat.review.title')} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn btn-primary" id="review-confirm" disabled=${busy} onClick=${go}>${t('common.confirm')}</button>`}>
    <div class="form-narrow">
      <${Field} id="review-decision" label=${t('threat.review.decision')} required=${true}>
        <div class="radio-group" id="review-decision" role="radiogroup">
          ${DECISIONS.map((d) => html`<label class="radio" key=${d}><input type="radio" name="review-decision"
            id=${`review-decision-${d}`} value=${d} checked=${decision === d} onChange=${() => setDecision(d)} />${t(`threat.decision.${d}`)}</label>`)}
        </div>
      </${Field}>
      <${Field} id="review-comment" label=${t('threat.review.comment')} required=${decision !== 'accept'}
          error=${fieldMessage(error, 'comment')}>
        <textarea id="review-comment" rows="3" value=${comment} onInput=${(e) => setComment(e.target.value)}></textarea>
      </${Field}>
    </div>
    ${error && error.field !== 'comment' ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

function IncidentDialog({ report, onCancel }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post(`/api/v1/threat-reports/${report.id}/incident`, {});
      navigate(`#/incidents/${r.data.id}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${t('threat.makeIncident')} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn btn-primary" id="incident-confirm" disabled=${busy} onClick=${go}>${t('common.confirm')}</button>`}>
    <p>${t('threat.makeIncidentHint')}</p>
    <${ErrorBox} error=${error} />
  </${Modal}>`;
}

export function TupleTable({ tuples, id }) {
  return html`<div class="table-wrap"><table class="table table-compact" id=${id}>
    <thead><tr><th>#</th><th>${t('threat.tuple.src')}</th><th>${t('threat.tuple.dst')}</th><th>${t('threat.tuple.protocol')}</th>
      <th>${t('threat.tuple.first_seen')}</th><th>${t('threat.tuple.last_seen')}</th><th class="num">${t('threat.tuple.count')}</th></tr></thead>
    <tbody>
      ${tuples.map((x, i) => html`<tr key=${i}>
        <td class="mono">${i + 1}</td>
        <td class="mono">${x.src_ip}${x.src_port ? `:${x.src_port}` : ''}</td>
        <td class="mono">${x.dst_ip}${x.dst_port ? `:${x.dst_port}` : ''}</td>
        <td>${protocolName(x.protocol)}</td>
        <td class="nowrap">${fmtTime(x.first_seen)}</td>
        <td class="nowrap">${fmtTime(x.last_seen)}</td>
        <td class="num">${x.count}</td>
      </tr>`)}
      ${tuples.length === 0 ? html`<${EmptyRow} cols=${7} />` : null}
    </tbody>
  </table></div>`;
}

function IndicatorTable({ indicators }) {
  const ordered = ROLES.flatMap((r) => indicators.filter((x) => x.role === r));
  return html`<div class="table-wrap"><table class="table table-compact" id="threat-indicators">
    <thead><tr><th>${t('threat.ind.role')}</th><th>${t('threat.ind.type')}</th><th>${t('threat.ind.value')}</th><th>${t('threat.ind.note')}</th></tr></thead>
    <tbody>
      ${ordered.map((x, i) => html`<tr key=${i} data-role=${x.role}>
        <td><span class=${`badge role-tag role-tag-${x.role}`}>${roleName(x.role)}</span></td>
        <td>${typeName(x.type)}</td>
        <td class="mono break">${x.type === 'app' ? x.value.replace('|', ' | ') : x.value}</td>
        <td>${x.note || ''}</td>
      </tr>`)}
      ${ordered.length === 0 ? html`<${EmptyRow} cols=${4} />` : null}
    </tbody>
  </table></div>`;
}

function FilesPanel({ report, editable, onChanged }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const upload = async (e) => {
    const list = Array.from(e.target.files || []);
    e.target.value = '';
    setError(null);
    for (const file of list) {
      if (file.size === 0 || file.size > MAX_FILE) {
        setError({ code: 'invalid', message: '', title: t(file.size ? 'threat.files.tooLarge' : 'threat.files.empty', { name: file.name }) });
        continue;
      }
      setBusy(true);
      try {
        await api.upload(`/api/v1/threat-reports/${report.id}/files`, file, { filename: file.name });
      } catch (err) {
        setError({ ...err, code: err.code, message: err.message, title: t('threat.files.failed', { name: file.name }) });
      } finally {
        setBusy(false);
      }
    }
    onChanged();
  };
  const files = report.files || [];
  return html`<section class="panel" id="threat-files-panel">
    <div class="section-head"><h3>${t('threat.sec.files')}<span class="count">${files.length}</span></h3>
      ${editable ? html`<span><label class="btn btn-small" for="threat-file-upload">${busy ? t('attach.uploading') : `＋ ${t('threat.files.add')}`}</label>
        <input class="visually-hidden" type="file" id="threat-file-upload" multiple aria-label=${t('threat.files.add')} onChange=${upload} /></span>` : null}</div>
    ${error ? html`<${ErrorBox} error=${error.message ? error : null} title=${error.title} />` : null}
    <div class="table-wrap"><table class="table table-compact" id="threat-files">
      <thead><tr><th>#</th><th>${t('threat.files.name')}</th><th>SHA-256</th><th>${t('threat.files.added_at')}</th></tr></thead>
      <tbody>
        ${files.map((f) => html`<tr key=${f.seq} data-seq=${f.seq}>
          <td class="mono">${f.seq}</td>
          <td><a class="attach-name" download href=${`/api/v1/threat-reports/${report.id}/files/${f.seq}/content`}>${f.filename}</a>
            <div class="muted small">${f.media_type} · ${fmtBytes(f.size)}</div></td>
          <td class="mono sha" title=${f.sha256}>${f.sha256.slice(0, 16)}…</td>
          <td class="nowrap">${fmtTime(f.added_at)}</td>
        </tr>`)}
        ${files.length === 0 ? html`<${EmptyRow} cols=${4} text=${t('threat.files.none')} />` : null}
      </tbody>
    </table></div>
  </section>`;
}

function Reviews({ reviews }) {
  return html`<section class="panel" id="threat-reviews">
    <h3>${t('threat.reviews')}<span class="count">${reviews.length}</span></h3>
    <div class="table-wrap"><table class="table table-compact">
      <thead><tr><th>${t('threat.review.at')}</th><th>${t('threat.review.by')}</th><th>${t('threat.review.decision')}</th>
        <th>${t('threat.review.comment')}</th></tr></thead>
      <tbody>
        ${reviews.slice().reverse().map((v) => html`<tr key=${v.seq} data-decision=${v.decision}>
          <td class="nowrap">${fmtTime(v.reviewed_at)}</td><td>${v.reviewer || `#${v.reviewed_by}`}</td>
          <td>${t(`threat.decision.${v.decision}`)}</td><td class="pre">${v.comment || ''}</td></tr>`)}
        ${reviews.length === 0 ? html`<${EmptyRow} cols=${4} text=${t('threat.noReviews')} />` : null}
      </tbody>
    </table></div>
  </section>`;
}

export function ThreatPage({ user, id }) {
  const [r, setR] = useState(null);
  const [etag, setEtag] = useState(null);
  const [error, setError] = useState(null);
  const [actionError, setActionError] = useState(null);
  const [dialog, setDialog] = useState(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => api.get(`/api/v1/threat-reports/${id}`).then((x) => {
    setR(x.data);
    setEtag(x.etag);
    setError(null);
  }, setError), [id]);
  useEffect(() => { load(); }, [id]);
  if (!r) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;

  const mine = can.editThreat(user, r);
  const editable = mine && (r.status === 'draft' || r.status === 'returned');
  const submit = async () => {
    setBusy(true);
    setActionError(null);
    try {
      await api.post(`/api/v1/threat-reports/${r.id}/submit`, undefined, { ifMatch: etag });
      await load();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  const d = r.disposal || {};
  const closed = r.status === 'returned' || r.status.startsWith('rejected');
  return html`<div class="page page-wide" id="threat-page" data-report-id=${r.id}>
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/threats">${t('nav.threats')}</a> / #${r.id}</div>
        <h2 id="threat-title">${r.title}</h2>
        <div class="subhead">
          <${ThreatStatusBadge} status=${r.status} id="threat-status" />
          <span>${categoryName(r.category)}</span>
          <span>${r.unit_name || t('threat.authorityOwn')}</span>
          ${r.submitted_at ? html`<span>${t('threat.submittedShort', { time: fmtTime(r.submitted_at) })}</span>` : null}
          ${r.incident_id ? html`<a id="threat-incident-link" href=${`#/incidents/${r.incident_id}`}>${t('threat.incidentLink', { id: r.incident_id })}</a>` : null}
        </div>
      </div>
      <div class="actions">
        ${editable ? html`<a class="btn" id="threat-edit" href=${`#/threats/${r.id}/edit`}>${t('common.edit')}</a>
          <button type="button" class="btn btn-primary" id="threat-submit-now" disabled=${busy} onClick=${submit}>
            ${r.status === 'returned' ? t('threat.resubmit') : t('threat.submit')}</button>` : null}
        ${can.reviewThreat(user) && r.status === 'submitted' ? html`<button type="button" class="btn btn-primary" id="threat-review"
          onClick=${() => setDialog('review')}>${t('threat.review.title')}</button>` : null}
        ${can.reviewThreat(user) && r.status === 'accepted' && !r.incident_id ? html`<button type="button" class="btn"
          id="threat-make-incident" onClick=${() => setDialog('incident')}>${t('threat.makeIncident')}</button>` : null}
        ${r.status === 'accepted' && can.readIndicators(user) ? html`<a class="btn" id="threat-in-store"
          href=${`#/indicators?report_id=${r.id}`}>${t('threat.inStore')}</a>` : null}
      </div>
    </div>
    ${closed && r.review_comment ? html`<${Notice} kind=${r.status === 'returned' ? 'warn' : 'info'}>
      <strong>${t(`threat.comment.${r.status === 'returned' ? 'returned' : 'rejected'}`)}</strong>
      <span id="threat-review-comment">${r.review_comment}</span>
      ${editable ? html` <span class="muted">${t('threat.editAndResubmit')}</span>` : null}</${Notice}>` : null}
    <${ErrorBox} error=${actionError} />
    <section class="panel" id="threat-facts">
      <h3>${t('threat.sec.basic')}</h3>
      <${InfoGrid} items=${[
        [t('threat.title'), r.title, true],
        [t('threat.category'), categoryName(r.category)],
        [t('threat.unit'), r.unit_name || t('threat.authorityOwn')],
        [t('threat.summary'), r.summary ? html`<div class="pre">${r.summary}</div>` : '', true],
        [t('threat.propagation_path'), r.propagation_path ? html`<div class="pre">${r.propagation_path}</div>` : '', true],
        [t('threat.affected'), r.affected ? html`<div class="pre">${r.affected}</div>` : '', true],
        [t('threat.disposal.measure'), html`<span id="threat-measure" data-measure=${d.measure}>${measureName(d.measure)}</span>
          ${(d.blocks || []).length ? html` <span class="muted">${paren(joined(d.blocks.map(blockName)))}</span>` : null}`],
        [t('threat.created_at'), fmtTime(r.created_at)],
        [t('threat.disposal.text'), d.text ? html`<div class="pre">${d.text}</div>` : '', true],
      ]} />
    </section>
    <section class="panel" id="threat-tuples-panel">
      <h3>${t('threat.sec.tuples')}<span class="count">${(r.five_tuples || []).length}</span></h3>
      <${TupleTable} tuples=${r.five_tuples || []} id="threat-tuples" />
    </section>
    <section class="panel" id="threat-indicators-panel">
      <h3>${t('threat.sec.indicators')}<span class="count">${(r.indicators || []).length}</span></h3>
      <${IndicatorTable} indicators=${r.indicators || []} />
    </section>
    <${FilesPanel} report=${r} editable=${editable} onChanged=${load} />
    <${Reviews} reviews=${r.reviews || []} />
    ${r.status === 'accepted' && can.sendDisposals(user) ? html`<${DisposalPanel} report=${r} />` : null}
    ${r.status === 'accepted' && !can.sendDisposals(user) && can.readDisposals(user) ? html`<${ReportNotices} report=${r} />` : null}
    ${dialog === 'review' ? html`<${ReviewDialog} report=${r} etag=${etag} onCancel=${() => setDialog(null)}
      onDone=${() => { setDialog(null); load(); }} />` : null}
    ${dialog === 'incident' ? html`<${IncidentDialog} report=${r} onCancel=${() => setDialog(null)} />` : null}
  </div>`;
}

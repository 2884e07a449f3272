// pages/certificates.js - support units' certificates: the list (the authority
// and the auditor all, a unit its own) and one certificate with its status and
// history; the authority suspends, reinstates, cancels or revokes it (a cause for
// revocation, a reason always, If-Match). A unit's page also lists its change
// reports; the public look-up is /verify.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, getLang } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow, InfoGrid, Modal, Field, fieldMessage, Notice } from '../components/ui.js';
import { Badge } from '../components/status.js';
import { RequalList, ChangeReportButton } from './requal.js';

const STATUSES = ['valid', 'suspended', 'cancelled', 'revoked', 'expired'];

export function verifyHref(number) {
  return `/verify?number=${encodeURIComponent(number)}`;
}

export function causeName(causes, code) {
  const c = (causes || []).find((x) => x.code === code);
  if (!c) return code || '';
  return getLang() === 'en' ? c.name_en || c.name_zh : c.name_zh;
}

// A certificate list: the authority's and auditor's with filters; unitId: one unit's.
export function CertificateTable({ unitId, filters = true }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const [status, setStatus] = useState('');
  const [campaign, setCampaign] = useState('');
  const [campaigns, setCampaigns] = useState([]);
  const [q, setQ] = useState('');
  useEffect(() => {
    if (filters) api.getAll('/api/v1/campaigns').then(setCampaigns, () => {});
  }, []);
  useEffect(() => {
    setItems(null);
    api.getAll('/api/v1/certificates', { status, campaign_id: campaign, unit_id: unitId }).then(setItems, setError);
  }, [status, campaign, unitId]);
  const shown = (items || []).filter((c) => !q || c.number.includes(q.trim()) || c.holder_name.includes(q.trim()));
  return html`<div>
    ${filters ? html`<div class="filters filters-grid">
      <label class="filter-item"><span>${t('cert.status')}</span>
        <select id="certs-status" value=${status} onChange=${(e) => setStatus(e.target.value)}>
          <option value="">${t('common.all')}</option>
          ${STATUSES.map((s) => html`<option key=${s} value=${s}>${t(`cert.${s}`)}</option>`)}
        </select></label>
      <label class="filter-item"><span>${t('cert.campaign')}</span>
        <select id="certs-campaign" value=${campaign} onChange=${(e) => setCampaign(e.target.value)}>
          <option value="">${t('common.all')}</option>
          ${campaigns.map((c) => html`<option key=${c.id} value=${c.id}>${c.name}</option>`)}
        </select></label>
      <label class="filter-item"><span>${t('cert.search')}</span>
        <input id="certs-q" type="search" value=${q} onInput=${(e) => setQ(e.target.value)} /></label>
    </div>` : null}
    <${ErrorBox} error=${error} />
    <div class="table-wrap"><table class="table" id="certificates-table">
      <thead><tr><th>${t('cert.number')}</th><th>${t('cert.holder')}</th><th>${t('cert.title')}</th>
        <th>${t('cert.validity')}</th><th>${t('cert.status')}</th><th>${t('cert.updated_at')}</th></tr></thead>
      <tbody>
        ${shown.map((c) => html`<tr key=${c.id} data-certificate-id=${c.id}>
          <td><a class="mono unit-link" href=${`#/certificates/${c.id}`}>${c.number}</a></td>
          <td><a href=${`#/units/${c.unit_id}`}>${c.holder_name}</a></td>
          <td>${c.title}</td>
          <td class="nowrap">${c.valid_from} — ${c.valid_to}</td>
          <td><${Badge} family="cert" code=${c.status} /></td>
          <td class="nowrap">${fmtTime(c.updated_at)}</td>
        </tr>`)}
        ${items && shown.length === 0 ? html`<${EmptyRow} cols=${6} text=${t('cert.empty')} />` : null}
      </tbody>
    </table></div>
    ${!items && !error ? html`<${Loading} />` : null}
  </div>`;
}

export function CertificatesPage({ user }) {
  return html`<div class="page" id="certificates-page">
    <div class="page-head">
      <div><h2>${user.role === 'unit' ? t('cert.unitTitle') : t('cert.title_page')}</h2>
        <div class="subhead">${t('cert.subtitle')} <a href="/verify" target="_blank" rel="noopener">${t('cert.publicLookup')}</a></div></div>
      ${user.role === 'unit' ? html`<div class="actions"><${ChangeReportButton} user=${user} unitId=${user.unit_id} /></div>` : null}
    </div>
    <${CertificateTable} unitId=${user.role === 'unit' ? user.unit_id : undefined} filters=${user.role !== 'unit'} />
    ${user.role === 'unit' ? html`<section class="panel section-gap"><h3>${t('requal.unitTitle')}</h3>
      <p class="hint">${t('requal.unitHint')}</p>
      <${RequalList} user=${user} unitId=${user.unit_id} /></section>` : null}
  </div>`;
}

// Which status changes the table of docs/api-certs.md allows from a status.
const MOVES = {
  valid: ['suspended', 'cancelled', 'revoked'],
  suspended: ['valid', 'cancelled', 'revoked'],
};

function StatusDialog({ cert, etag, to, causes, onDone, onCancel, onStale }) {
  const [cause, setCause] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = { status: to, reason: reason.trim() };
      if (to === 'revoked') body.cause = cause;
      const r = await api.post(`/api/v1/certificates/${cert.id}/status`, body, { ifMatch: etag });
      onDone(r.data, r.etag);
    } catch (e) {
      setBusy(false);
      if (e.code === 'precondition_failed') onStale();
      else setError(e);
    }
  };
  const final = to === 'cancelled' || to === 'revoked';
  return html`<${Modal} title=${t(`cert.move.${to}`)} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class=${final ? 'btn btn-danger' : 'btn btn-primary'} id="status-confirm" disabled=${busy} onClick=${go}>${t('common.confirm')}</button>`}>
    <p>${t(`cert.move.${to}.explain`, { number: cert.number })}</p>
    ${final ? html`<div class="alert alert-warn">${t('cert.finalWarn')}</div>` : null}
    ${to === 'revoked' ? html`<${Field} id="f-cause" label=${t('cert.cause')} required=${true} error=${fieldMessage(error, 'cause')}>
      <select id="f-cause" value=${cause} onChange=${(e) => setCause(e.target.value)}>
        <option value="">${t('form.selectPlaceholder')}</option>
        ${causes.map((c) => html`<option key=${c.code} value=${c.code}>${causeName(causes, c.code)}${c.ban_years ? t('cert.banNote', { n: c.ban_years }) : ''}</option>`)}
      </select></${Field}>` : null}
    <${Field} id="f-reason" label=${t('cert.reason')} required=${true} error=${fieldMessage(error, 'reason')} hint=${t('cert.reasonHint')}>
      <textarea id="f-reason" rows="4" maxlength="500" value=${reason} onInput=${(e) => setReason(e.target.value)}></textarea>
    </${Field}>
    ${error && !['cause', 'reason'].includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

export function CertificatePage({ user, id }) {
  const [cert, setCert] = useState(null);
  const [etag, setEtag] = useState(null);
  const [error, setError] = useState(null);
  const [causes, setCauses] = useState([]);
  const [users, setUsers] = useState([]);
  const [moving, setMoving] = useState(null);
  const [stale, setStale] = useState(false);
  const [ban, setBan] = useState(null);
  const [done, setDone] = useState(null);
  const load = async () => {
    setStale(false);
    try {
      const r = await api.get(`/api/v1/certificates/${id}`);
      setCert(r.data);
      setEtag(r.etag);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load();
    api.reference('revocation-causes').then(setCauses, () => {});
    if (can.viewUsers(user)) api.getAll('/api/v1/users').then(setUsers, () => {});
  }, [id]);
  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  if (!cert) return html`<div class="page"><${Loading} /></div>`;
  const actor = (uid) => {
    if (uid === null || uid === undefined) return t('cert.system');
    const u = users.find((x) => x.id === uid);
    return u ? u.display_name || u.username : `#${uid}`;
  };
  const moves = can.manageCertificates(user) ? MOVES[cert.status] || [] : [];
  return html`<div class="page" id="certificate-page" data-certificate-id=${cert.id} data-status=${cert.status}>
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/certificates">${t('nav.certificates')}</a> / ${cert.number}</div>
        <h2 class="mono" id="certificate-number">${cert.number}</h2>
        <div class="subhead"><${Badge} family="cert" code=${cert.status} id="certificate-status" /><span>${cert.holder_name}</span></div>
      </div>
      <div class="actions">
        ${moves.map((to) => html`<button type="button" key=${to} id=${`cert-${to}`}
          class=${to === 'revoked' || to === 'cancelled' ? 'btn btn-danger-outline' : 'btn'} onClick=${() => setMoving(to)}>${t(`cert.move.${to}`)}</button>`)}
        <a class="btn" href=${verifyHref(cert.number)} target="_blank" rel="noopener">${t('cert.publicLookup')}</a>
      </div>
    </div>
    ${stale ? html`<${ErrorBox} title=${t('cert.stale')}><button type="button" class="btn" onClick=${load}>${t('common.reload')}</button></${ErrorBox}>` : null}
    ${done ? html`<${Notice} kind="ok"><span id="status-done">${t('cert.changed', { status: t(`cert.${done}`) })}</span></${Notice}>` : null}
    ${ban ? html`<${Notice} kind="warn"><span id="ban-notice">${t('cert.banImposed', { from: ban.starts_on, to: ban.ends_on })}</span></${Notice}>` : null}
    <section class="panel cert-card">
      <${InfoGrid} items=${[
        [t('cert.number'), html`<span class="mono">${cert.number}</span>`],
        [t('cert.holder'), html`<a href=${`#/units/${cert.unit_id}`}>${cert.holder_name}</a>`],
        [t('cert.status'), html`<${Badge} family="cert" code=${cert.status} />`],
        [t('cert.title'), cert.title, true],
        [t('cert.issuing_authorities'), cert.issuing_authorities, true],
        [t('cert.valid_from'), cert.valid_from],
        [t('cert.valid_to'), cert.valid_to],
        [t('cert.campaign'), cert.campaign_id ? html`<a href=${`#/campaigns/${cert.campaign_id}`}>#${cert.campaign_id}</a>` : ''],
        [t('cert.application'), cert.application_id && can.readApplication(user) ? html`<a href=${`#/applications/${cert.application_id}`}>#${cert.application_id}</a>` : ''],
        [t('cert.version'), String(cert.version)],
      ]} />
      <p class="hint">${t('cert.validityHint')}</p>
    </section>
    <section class="panel">
      <h3>${t('cert.history')}</h3>
      <div class="table-wrap"><table class="table" id="cert-history">
        <thead><tr><th>#</th><th>${t('cert.at')}</th><th>${t('cert.change')}</th><th>${t('cert.cause')}</th><th>${t('cert.reason')}</th><th>${t('cert.actor')}</th></tr></thead>
        <tbody>${(cert.history || []).map((h) => html`<tr key=${h.seq} data-status=${h.status}>
          <td class="num muted">${h.seq}</td>
          <td class="nowrap">${fmtTime(h.at)}</td>
          <td>${h.from ? html`<${Badge} family="cert" code=${h.from} /> → ` : html`<span class="muted">${t('cert.issued')} </span>`}<${Badge} family="cert" code=${h.status} /></td>
          <td>${h.cause ? causeName(causes, h.cause) : ''}</td>
          <td class="pre">${h.reason || ''}</td>
          <td>${actor(h.actor_id)}</td>
        </tr>`)}</tbody>
      </table></div>
    </section>
    ${moving ? html`<${StatusDialog} cert=${cert} etag=${etag} to=${moving} causes=${causes} onCancel=${() => setMoving(null)}
      onStale=${() => { setMoving(null); setStale(true); }}
      onDone=${(d, tag) => { setDone(moving); setMoving(null); setCert(d); setEtag(tag); setBan(d.ban || null); }} />` : null}
  </div>`;
}

// pages/security.js - the background review (安全审查). The security reviewer's
// queue: the submitted applications of the campaigns in review; and the
// restricted view of one application (who the applicant is and what it does,
// its key staff) with the decision, pass or fail with notes. The authority and
// the auditor may read the view; only the security reviewer decides.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime, fmtNumber } from '../format.js';
import { ErrorBox, Loading, EmptyRow, InfoGrid, Field, fieldMessage, Notice } from '../components/ui.js';
import { Badge } from '../components/status.js';

const pending = (a) => a.status === 'submitted' && a.security_result === 'pending';

export function SecurityQueuePage() {
  const [groups, setGroups] = useState(null);
  const [error, setError] = useState(null);
  const [show, setShow] = useState('pending');
  useEffect(() => {
    (async () => {
      try {
        const campaigns = (await api.getAll('/api/v1/campaigns')).filter((c) => c.stage !== 'draft').reverse();
        const out = [];
        for (const c of campaigns) {
          const items = await api.getAll(`/api/v1/campaigns/${c.id}/applications`);
          out.push({ c, items });
        }
        setGroups(out);
      } catch (e) {
        setError(e);
      }
    })();
  }, []);
  return html`<div class="page" id="security-page">
    <div class="page-head"><div><h2>${t('security.title')}</h2><div class="subhead">${t('security.subtitle')}</div></div></div>
    <div class="filters">
      <label class="filter-item"><span>${t('security.show')}</span>
        <select id="security-show" value=${show} onChange=${(e) => setShow(e.target.value)}>
          <option value="pending">${t('security.showPending')}</option>
          <option value="">${t('common.all')}</option>
        </select></label>
    </div>
    <${ErrorBox} error=${error} />
    ${!groups && !error ? html`<${Loading} />` : null}
    ${groups && groups.length === 0 ? html`<div class="panel empty-panel">${t('security.none')}</div>` : null}
    ${groups && groups.length > 0 && show && groups.every(({ items }) => !items.some(pending))
      ? html`<div class="panel empty-panel" id="security-all-done">${t('security.queueEmpty')}</div>` : null}
    ${(groups || []).map(({ c, items }) => {
      const rows = items.filter((a) => !show || pending(a));
      if (show && rows.length === 0) return null;
      return html`<section class="panel" key=${c.id} data-campaign-id=${c.id}>
        <div class="section-head"><h3>${c.name}</h3><${Badge} family="stage" code=${c.stage} /></div>
        ${c.stage !== 'review' ? html`<p class="hint">${t('security.notInReview')}</p>` : null}
        <div class="table-wrap"><table class="table security-queue">
          <thead><tr><th>${t('app.unit')}</th><th>${t('unit.credit_code')}</th><th>${t('app.status')}</th>
            <th>${t('app.submitted_at')}</th><th>${t('app.security_result')}</th><th></th></tr></thead>
          <tbody>
            ${rows.map((a) => html`<tr key=${a.id} data-application-id=${a.id}>
              <td>${a.unit_name}</td><td class="mono">${a.credit_code}</td>
              <td><${Badge} family="status" code=${a.status} /></td>
              <td class="nowrap">${fmtTime(a.submitted_at)}</td>
              <td><${Badge} family="security" code=${a.security_result} /></td>
              <td><a class="btn btn-small" id=${`review-${a.id}`} href=${`#/applications/${a.id}/security`}>${t('security.open')}</a></td>
            </tr>`)}
            ${rows.length === 0 ? html`<${EmptyRow} cols=${6} text=${t('security.queueEmpty')} />` : null}
          </tbody>
        </table></div>
      </section>`;
    })}
  </div>`;
}

export function SecurityViewPage({ user, id }) {
  const [view, setView] = useState(null);
  const [campaign, setCampaign] = useState(null);
  const [status, setStatus] = useState(null);
  const [error, setError] = useState(null);
  const [result, setResult] = useState('pass');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState(null);
  const [saved, setSaved] = useState(false);
  const [roles, setRoles] = useState([]);

  const load = async () => {
    try {
      const { data } = await api.get(`/api/v1/applications/${id}/security-view`);
      setView(data);
      setNotes(data.security_notes || '');
      if (data.security_result !== 'pending') setResult(data.security_result);
      // The campaign and the application's status, from the list the reviewer may read.
      const campaigns = await api.getAll('/api/v1/campaigns');
      for (const c of campaigns) {
        if (c.stage === 'draft') continue;
        const items = await api.getAll(`/api/v1/campaigns/${c.id}/applications`);
        const a = items.find((x) => x.id === data.application_id);
        if (a) {
          setCampaign(c);
          setStatus(a.status);
          break;
        }
      }
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load();
    api.reference('contact-roles').then(setRoles, () => {});
  }, [id]);

  const decide = async (e) => {
    e.preventDefault();
    setBusy(true);
    setSaveError(null);
    setSaved(false);
    try {
      const body = { result };
      if (notes.trim()) body.notes = notes.trim();
      await api.post(`/api/v1/applications/${id}/security-review`, body);
      setSaved(true);
      await load();
    } catch (err) {
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  };

  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  if (!view) return html`<div class="page"><${Loading} /></div>`;
  const decidable = can.decideSecurity(user) && campaign && campaign.stage === 'review' && status === 'submitted';
  return html`<div class="page" id="security-view-page" data-application-id=${view.application_id}>
    <div class="page-head">
      <div>
        <div class="crumbs">${user.role === 'security_reviewer' ? html`<a href="#/security">${t('nav.security')}</a>` : html`<a href=${`#/applications/${view.application_id}`}>${t('security.backToApplication')}</a>`} / ${view.unit_name}</div>
        <h2>${view.unit_name}</h2>
        <div class="subhead"><span class="mono">${view.credit_code}</span>${campaign ? html`<span>${campaign.name}</span>` : null}
          <${Badge} family="security" code=${view.security_result} id="security-result" /></div>
      </div>
    </div>
    <${Notice}>${t('security.restricted')}</${Notice}>
    <section class="panel">
      <h3>${t('security.applicant')}</h3>
      <${InfoGrid} items=${[
        [t('unit.name'), view.unit_name],
        [t('unit.credit_code'), html`<span class="mono">${view.credit_code}</span>`],
        [t('unit.legal_representative'), view.legal_representative],
        [t('unit.registered_capital'), view.registered_capital !== undefined ? fmtNumber(view.registered_capital) : ''],
        [t('unit.founded_on'), view.founded_on],
        [t('unit.registration_authority'), view.registration_authority],
        [t('unit.province'), [view.province, view.city].filter(Boolean).join(' · ')],
        [t('unit.address'), view.address, true],
        [t('unit.business_scope'), view.business_scope ? html`<div class="pre">${view.business_scope}</div>` : '', true],
        [t('sec.main_business'), view.main_business ? html`<div class="pre">${view.main_business}</div>` : '', true],
      ]} />
    </section>
    ${view.contacts ? html`<section class="panel"><h3>${t('unit.contacts')}</h3>
      <div class="table-wrap"><table class="table">
        <thead><tr><th>${t('contact.role')}</th><th>${t('contact.name')}</th><th>${t('contact.dept_title')}</th><th>${t('contact.mobile')}</th><th>${t('contact.office_phone')}</th><th>${t('contact.email')}</th></tr></thead>
        <tbody>${view.contacts.map((c, i) => html`<tr key=${i}><td>${t(`contactRole.${c.role}`) || (roles.find((r) => r.code === c.role) || {}).name_zh}</td>
          <td>${c.name || ''}</td><td>${c.dept_title || ''}</td><td class="mono">${c.mobile || ''}</td><td class="mono">${c.office_phone || ''}</td><td>${c.email || ''}</td></tr>`)}</tbody>
      </table></div></section>` : null}
    <section class="panel">
      <h3>${t('security.keyStaff')}（${(view.key_staff || []).length}）</h3>
      <div class="table-wrap"><table class="table">
        <thead><tr><th>${t('staff.name')}</th><th>${t('staff.department')}</th><th>${t('staff.post')}</th><th>${t('staff.certificates')}</th></tr></thead>
        <tbody>${(view.key_staff || []).map((s, i) => html`<tr key=${i}><td>${s.name}</td><td>${s.department || ''}</td><td>${s.post || ''}</td>
          <td>${(s.certificates || []).join('、')}</td></tr>`)}
          ${(view.key_staff || []).length === 0 ? html`<${EmptyRow} cols=${4} />` : null}</tbody>
      </table></div>
    </section>
    <section class="panel">
      <h3>${t('sec.qualifications')}</h3>
      <div class="table-wrap"><table class="table">
        <thead><tr><th>${t('qual.name')}</th><th>${t('qual.issuer')}</th><th>${t('qual.level')}</th><th>${t('qual.number')}</th><th>${t('qual.valid_until')}</th></tr></thead>
        <tbody>${(view.qualifications || []).map((q, i) => html`<tr key=${i}><td>${q.name}</td><td>${q.issuer || ''}</td><td>${q.level || ''}</td>
          <td class="mono">${q.number || ''}</td><td>${q.valid_until || ''}</td></tr>`)}
          ${(view.qualifications || []).length === 0 ? html`<${EmptyRow} cols=${5} />` : null}</tbody>
      </table></div>
    </section>
    <section class="panel" id="security-decision">
      <h3>${t('security.decision')}</h3>
      ${view.security_at ? html`<p>${t('security.decidedAt', { time: fmtTime(view.security_at) })}：<${Badge} family="security" code=${view.security_result} />
        ${view.security_notes ? html`<span class="pre"> ${view.security_notes}</span>` : null}</p>` : html`<p class="muted">${t('security.undecided')}</p>`}
      ${saved ? html`<${Notice} kind="ok"><span id="security-saved">${t('security.saved')}</span></${Notice}>` : null}
      ${decidable ? html`<form onSubmit=${decide} novalidate>
          <div class="radio-group" role="radiogroup" aria-label=${t('security.decision')}>
            <label class="radio"><input type="radio" name="result" id="result-pass" checked=${result === 'pass'} onChange=${() => setResult('pass')} /><span>${t('security.pass')}</span></label>
            <label class="radio"><input type="radio" name="result" id="result-fail" checked=${result === 'fail'} onChange=${() => setResult('fail')} /><span>${t('security.fail')}</span></label>
          </div>
          <${Field} id="f-notes" label=${t('security.notes')} required=${result === 'fail'} error=${fieldMessage(saveError, 'notes')} hint=${t('security.notesHint')}>
            <textarea id="f-notes" rows="4" maxlength="2000" value=${notes} onInput=${(e) => setNotes(e.target.value)}></textarea>
          </${Field}>
          ${saveError && saveError.field !== 'notes' ? html`<${ErrorBox} error=${saveError} />` : null}
          <div class="form-actions-inline"><button type="submit" class="btn btn-primary" id="security-save" disabled=${busy}>${t('security.save')}</button></div>
        </form>`
        : can.decideSecurity(user) ? html`<p class="hint">${t('security.cannotDecide')}</p>` : null}
    </section>
  </div>`;
}

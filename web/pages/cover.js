// pages/cover.js - the printable cover page of a submitted application's paper
// copy: the unit, the campaign, the version, the submission time (UTC+8) and the
// version's SHA-256, which the authority compares with the electronic version
// when the paper copy arrives. The print rules of app.css leave only the cover.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { fmtTime, groupHex } from '../format.js';
import { ErrorBox, Loading, Notice } from '../components/ui.js';

export function CoverPage({ id }) {
  const [app, setApp] = useState(null);
  const [campaign, setCampaign] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    (async () => {
      try {
        const r = await api.get(`/api/v1/applications/${id}`);
        setApp(r.data);
        const c = await api.get(`/api/v1/campaigns/${r.data.campaign_id}`);
        setCampaign(c.data);
      } catch (e) {
        setError(e);
      }
    })();
  }, [id]);
  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  if (!app || !campaign) return html`<div class="page"><${Loading} /></div>`;
  const v = app.versions.find((x) => x.version_no === app.submitted_version);
  if (!v || !v.sha256) {
    return html`<div class="page"><${Notice} kind="warn">${t('cover.notSubmitted')}</${Notice}>
      <a class="btn" href=${`#/applications/${app.id}`}>${t('common.back')}</a></div>`;
  }
  const profile = (app.content && app.content.profile) || {};
  const iface = (profile.contacts || []).find((c) => c.role === 'interface') || {};
  return html`<div class="page cover-wrap" id="cover-page">
    <div class="cover-tools no-print">
      <a class="btn" href=${`#/applications/${app.id}`}>${t('common.back')}</a>
      <button type="button" class="btn btn-primary" id="print-button" onClick=${() => window.print()}>${t('cover.print')}</button>
      <span class="hint">${t('cover.printHint')}</span>
    </div>
    <article class="cover-sheet" id="cover-sheet">
      <div class="cover-campaign">${campaign.name}</div>
      <h1 class="cover-title">${t('cover.title')}</h1>
      <div class="cover-sub">${t('cover.subtitle')}</div>
      <table class="cover-table">
        <tbody>
          <tr><th>${t('cover.unit')}</th><td id="cover-unit">${app.unit_name}</td></tr>
          <tr><th>${t('unit.credit_code')}</th><td class="mono">${app.credit_code}</td></tr>
          <tr><th>${t('cover.campaign')}</th><td>${campaign.name}</td></tr>
          <tr><th>${t('cover.authorities')}</th><td>${(campaign.authorities || []).join('、')}</td></tr>
          <tr><th>${t('cover.application')}</th><td>${t('cover.applicationNo', { id: app.id })}</td></tr>
          <tr><th>${t('cover.version')}</th><td id="cover-version">${t('app.versionN', { n: v.version_no })}</td></tr>
          <tr><th>${t('cover.submitted_at')}</th><td id="cover-time">${fmtTime(v.submitted_at)} ${t('cover.cst')}</td></tr>
          <tr><th>${t('cover.contact')}</th><td>${[iface.name, iface.mobile].filter(Boolean).join(' ')}</td></tr>
        </tbody>
      </table>
      <div class="cover-hash">
        <div class="cover-hash-label">${t('cover.sha')}</div>
        <div class="cover-hash-value mono" id="cover-sha256">${groupHex(v.sha256)}</div>
      </div>
      <p class="cover-note">${t('cover.note')}</p>
      <div class="cover-sign">
        <div><span>${t('cover.seal')}</span><span class="cover-line"></span></div>
        <div><span>${t('cover.legalRep')}</span><span class="cover-line"></span></div>
        <div><span>${t('cover.date')}</span><span class="cover-line"></span></div>
      </div>
    </article>
  </div>`;
}

// pages/intelindicator.js - one indicator of the store: its facts, where it came
// from (each source with how often it was imported), the threat reports it came
// with, and for the authority the edit of TLP, expiry, confidence, tags and
// description (PATCH with If-Match).
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime, toLocalInput, fromLocalInput } from '../format.js';
import { ErrorBox, Loading, InfoGrid, EmptyRow, Field, fieldMessage } from '../components/ui.js';
import { TLPS, typeName, categoryName, tlpName, TlpBadge, LiveBadge } from './threatmodel.js';
import { IntelNav } from './intelindicators.js';

function EditForm({ ind, etag, onSaved }) {
  const [tlp, setTlp] = useState(ind.tlp);
  const [never, setNever] = useState(!ind.valid_until);
  const [until, setUntil] = useState(toLocalInput(ind.valid_until));
  const [confidence, setConfidence] = useState(String(ind.confidence));
  const [tags, setTags] = useState((ind.tags || []).join(', '));
  const [description, setDescription] = useState(ind.description || '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const save = async (e) => {
    e.preventDefault();
    const body = {};
    if (tlp !== ind.tlp) body.tlp = tlp;
    const vu = never ? null : fromLocalInput(until);
    if (!never && !vu) {
      setError({ code: 'invalid', field: 'valid_until', message: t('err.badTime'), local: true });
      return;
    }
    if (never ? !!ind.valid_until : Date.parse(vu) !== Date.parse(ind.valid_until || '')) body.valid_until = vu;
    if (!/^\d+$/.test(confidence.trim())) {
      setError({ code: 'invalid', field: 'confidence', message: t('err.notInteger'), local: true });
      return;
    }
    if (Number(confidence) !== ind.confidence) body.confidence = Number(confidence);
    const tagList = tags.split(/[,，、\n]+/).map((x) => x.trim()).filter(Boolean);
    if (JSON.stringify(tagList) !== JSON.stringify(ind.tags || [])) body.tags = tagList;
    if ((description.trim() || null) !== (ind.description || null)) body.description = description.trim() || null;
    if (Object.keys(body).length === 0) return;
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const r = await api.patch(`/api/v1/indicators/${ind.id}`, body, { ifMatch: etag });
      setSaved(true);
      onSaved(r.data, r.etag);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const known = ['tlp', 'valid_until', 'confidence', 'tags', 'description'];
  return html`<form class="form-grid" id="indicator-edit" onSubmit=${save}>
    <${Field} id="ind-tlp" label="TLP" error=${fieldMessage(error, 'tlp')}>
      <select id="ind-tlp" value=${tlp} onChange=${(e) => setTlp(e.target.value)}>
        ${TLPS.map((x) => html`<option key=${x} value=${x}>${tlpName(x)}</option>`)}
      </select></${Field}>
    <${Field} id="ind-valid-until" label=${t('intel.valid_until')} error=${fieldMessage(error, 'valid_until')}>
      <div class="inline-inputs">
        <input id="ind-valid-until" type="datetime-local" value=${until} disabled=${never} onInput=${(e) => setUntil(e.target.value)} />
        <label class="check-row"><input type="checkbox" id="ind-never" checked=${never} onChange=${(e) => setNever(e.target.checked)} /><span>${t('intel.never')}</span></label>
      </div></${Field}>
    <${Field} id="ind-confidence" label=${t('intel.confidence')} error=${fieldMessage(error, 'confidence')} hint="0–100">
      <input id="ind-confidence" inputmode="numeric" value=${confidence} onInput=${(e) => setConfidence(e.target.value)} /></${Field}>
    <${Field} id="ind-tags" label=${t('intel.tags')} wide=${true} error=${fieldMessage(error, 'tags', true)} hint=${t('intel.tagsHint')}>
      <input id="ind-tags" value=${tags} onInput=${(e) => setTags(e.target.value)} /></${Field}>
    <${Field} id="ind-description" label=${t('intel.description')} full=${true} error=${fieldMessage(error, 'description')}>
      <textarea id="ind-description" rows="3" value=${description} onInput=${(e) => setDescription(e.target.value)}></textarea></${Field}>
    <div class="form-actions-inline field-full">
      <button type="submit" class="btn btn-primary" id="indicator-save" disabled=${busy}>${t('common.save')}</button>
      ${saved ? html`<span class="badge badge-ok" id="indicator-saved">${t('common.saved')}</span>` : null}
    </div>
    ${error && !known.some((k) => (error.field || '').startsWith(k)) ? html`<div class="field-full"><${ErrorBox} error=${error} /></div>` : null}
  </form>`;
}

export function IndicatorPage({ user, id }) {
  const [ind, setInd] = useState(null);
  const [etag, setEtag] = useState(null);
  const [error, setError] = useState(null);
  const load = useCallback(() => api.get(`/api/v1/indicators/${id}`).then((r) => {
    setInd(r.data);
    setEtag(r.etag);
  }, setError), [id]);
  useEffect(() => { load(); }, [id]);
  if (!ind) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;
  const sources = ind.sources || [];
  const reports = ind.threat_report_ids || [];
  return html`<div class="page page-wide" id="indicator-page" data-indicator-id=${ind.id}>
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/indicators">${t('nav.indicators')}</a> / #${ind.id}</div>
        <h2 class="mono break" id="indicator-value">${ind.value}</h2>
        <div class="subhead"><span>${typeName(ind.type)}</span><${TlpBadge} tlp=${ind.tlp} /><${LiveBadge} ind=${ind} /></div>
      </div>
    </div>
    <${IntelNav} user=${user} active="indicators" />
    <section class="panel" id="indicator-facts">
      <h3>${t('intel.facts')}</h3>
      <${InfoGrid} items=${[
        [t('intel.value'), html`<span class="mono break">${ind.value}</span>`, true],
        [t('intel.type'), typeName(ind.type)],
        [t('intel.category'), categoryName(ind.category)],
        [t('intel.confidence'), String(ind.confidence)],
        [t('intel.sightings'), String(ind.sightings)],
        [t('intel.first_seen'), fmtTime(ind.first_seen)],
        [t('intel.last_seen'), fmtTime(ind.last_seen)],
        [t('intel.valid_until'), ind.valid_until ? fmtTime(ind.valid_until) : t('intel.never')],
        [t('intel.subdomains'), ind.type === 'domain' ? (ind.subdomains ? t('common.yes') : t('common.no')) : ''],
        [t('intel.tags'), (ind.tags || []).length ? html`<span class="chips">${ind.tags.map((g) => html`<span class="chip" key=${g}>${g}</span>`)}</span>` : ''],
        [t('intel.flaggedBy'), ind.flagged_by_warninglist || ''],
        [t('intel.description'), ind.description ? html`<div class="pre">${ind.description}</div>` : '', true],
        [t('intel.created_at'), fmtTime(ind.created_at)],
        [t('intel.updated_at'), fmtTime(ind.updated_at)],
      ]} />
    </section>
    <section class="panel" id="indicator-sources">
      <h3>${t('intel.sources')}<span class="count">${sources.length}</span></h3>
      <div class="table-wrap"><table class="table table-compact">
        <thead><tr><th>${t('intel.source')}</th><th>${t('intel.first_imported')}</th><th>${t('intel.last_imported')}</th><th class="num">${t('intel.count')}</th></tr></thead>
        <tbody>
          ${sources.map((s) => html`<tr key=${s.source} data-source=${s.source}><td class="mono">${s.source}</td>
            <td class="nowrap">${fmtTime(s.first_imported)}</td><td class="nowrap">${fmtTime(s.last_imported)}</td><td class="num">${s.count}</td></tr>`)}
          ${sources.length === 0 ? html`<${EmptyRow} cols=${4} />` : null}
        </tbody>
      </table></div>
    </section>
    <section class="panel" id="indicator-reports">
      <h3>${t('intel.reports')}<span class="count">${reports.length}</span></h3>
      ${reports.length ? html`<ul class="plain-list">${reports.map((r) => html`<li key=${r}>${can.readThreats(user)
        ? html`<a href=${`#/threats/${r}`}>${t('intel.reportN', { id: r })}</a>` : t('intel.reportN', { id: r })}</li>`)}</ul>`
        : html`<p class="muted">${t('intel.noReports')}</p>`}
    </section>
    ${can.editIndicators(user) ? html`<section class="panel" id="indicator-edit-panel">
      <h3>${t('intel.edit')}</h3>
      <${EditForm} ind=${ind} etag=${etag} onSaved=${(d, e) => { setInd(d); setEtag(e); }} />
    </section>` : null}
  </div>`;
}

// pages/campaignform.js - create a selection campaign (POST) or edit one (PATCH
// with If-Match, only the keys that changed). Once applications are open the
// rules stay fixed: in open only the deadline (later), the places and the notice
// period change; in review the places and the notice period (docs/api-selection.md).
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, localizeMessage } from '../i18n.js';
import { navigate } from '../router.js';
import { toDateTimeParts, fromDateTimeParts, toLocalInput } from '../format.js';
import { ErrorBox, Field, Loading, fieldMessage, errorTitle } from '../components/ui.js';
import { SpecField, RowsEditor, formRow, jsonValue, rowJson, FormError, idFor } from '../components/forms.js';
import { codeName } from '../components/status.js';

export const DEFAULT_CRITERIA = [
  { code: 'basic', name: '基本情况', max_points: 20 },
  { code: 'staffing', name: '人员配备', max_points: 20 },
  { code: 'systems', name: '制度建设与保密管理', max_points: 20 },
  { code: 'technical_capability', name: '技术能力', max_points: 30 },
  { code: 'past_support', name: '前期支撑情况', max_points: 10 },
];
const DEFAULT_THRESHOLDS = {
  min_registered_capital: 2000000, min_years_in_field: 3, min_certified_staff: 10,
  require_office_in_province: true, min_capability_fields: 1, require_declarations: true,
};

const TH_SPECS = () => [
  { k: 'min_registered_capital', type: 'int', label: t('campaign.th.min_registered_capital') },
  { k: 'min_years_in_field', type: 'int', label: t('campaign.th.min_years_in_field') },
  { k: 'min_certified_staff', type: 'int', label: t('campaign.th.min_certified_staff') },
  { k: 'min_capability_fields', type: 'int', label: t('campaign.th.min_capability_fields') },
  { k: 'require_office_in_province', type: 'check', label: t('campaign.th.require_office_in_province'), checkLabel: t('common.yes') },
  { k: 'require_declarations', type: 'check', label: t('campaign.th.require_declarations'), checkLabel: t('common.yes') },
];
const CRIT_SPECS = () => [
  { k: 'code', label: t('campaign.crit.code'), required: true, mono: true, max: 32 },
  { k: 'name', label: t('campaign.crit.name'), required: true, max: 100 },
  { k: 'max_points', type: 'int', label: t('campaign.crit.max_points'), required: true },
];
const AUTH_SPECS = () => [{ k: 'name', label: t('campaign.authority'), required: true, wide: true }];

// Which keys a campaign in a stage still lets change.
function changeable(stage, key) {
  if (stage === 'draft') return true;
  if (stage === 'open') return ['deadline_at', 'places', 'notice_starts_at', 'notice_ends_at'].includes(key);
  if (stage === 'review') return ['places', 'notice_starts_at', 'notice_ends_at'].includes(key);
  return false;
}

function formFromCampaign(c) {
  const dl = toDateTimeParts(c && c.deadline_at);
  const op = toDateTimeParts(c && c.opens_at);
  const ns = toDateTimeParts(c && c.notice_starts_at);
  const ne = toDateTimeParts(c && c.notice_ends_at);
  const th = (c && c.thresholds) || DEFAULT_THRESHOLDS;
  const s = (v) => (v === null || v === undefined ? '' : String(v));
  return {
    name: s(c && c.name), term_no: s(c && c.term_no), province: s(c && c.province), city: s(c && c.city),
    title: s(c && c.title),
    deadline_date: dl.date, deadline_time: dl.time || (c ? '' : '17:00'),
    opens_date: op.date, opens_time: op.time,
    notice_starts_date: ns.date, notice_starts_time: ns.time, notice_ends_date: ne.date, notice_ends_time: ne.time,
    validity_years: s(c ? c.validity_years : 2), places: s(c && c.places),
    cert_number_pattern: s(c ? c.cert_number_pattern : ''),
    thresholds: Object.fromEntries(Object.entries(th).map(([k, v]) => [k, typeof v === 'boolean' ? v : s(v)])),
    authorities: ((c && c.authorities) || ['']).map((a) => formRow(AUTH_SPECS(), { name: a })),
    criteria: ((c && c.criteria) || DEFAULT_CRITERIA).map((k) => formRow(CRIT_SPECS(), k)),
  };
}

// A date and time pair -> RFC 3339, null when both are empty; FormError when half given.
function when(f, prefix, field) {
  const d = f[`${prefix}_date`];
  const tm = f[`${prefix}_time`];
  if (!d && !tm) return null;
  const v = fromDateTimeParts(d, tm);
  if (!v) throw new FormError(field, t('err.badTime'));
  return v;
}

function bodyFromForm(f) {
  const body = {};
  const text = (k) => {
    const v = f[k].trim();
    if (v) body[k] = v;
  };
  text('name');
  text('title');
  text('province');
  text('city');
  text('cert_number_pattern');
  const term = jsonValue({ type: 'int' }, f.term_no, 'term_no');
  if (term !== undefined) body.term_no = term;
  const years = jsonValue({ type: 'int' }, f.validity_years, 'validity_years');
  if (years !== undefined) body.validity_years = years;
  const places = jsonValue({ type: 'int' }, f.places, 'places');
  if (places !== undefined) body.places = places;
  const dl = when(f, 'deadline', 'deadline_at');
  if (dl) body.deadline_at = dl;
  const op = when(f, 'opens', 'opens_at');
  if (op) body.opens_at = op;
  const ns = when(f, 'notice_starts', 'notice_starts_at');
  if (ns) body.notice_starts_at = ns;
  const ne = when(f, 'notice_ends', 'notice_ends_at');
  if (ne) body.notice_ends_at = ne;
  body.thresholds = {};
  for (const s of TH_SPECS()) {
    const v = jsonValue(s, f.thresholds[s.k], `thresholds.${s.k}`);
    if (v !== undefined) body.thresholds[s.k] = v;
  }
  body.authorities = f.authorities.map((r) => r.name.trim()).filter(Boolean);
  body.criteria = f.criteria.map((r, i) => rowJson(CRIT_SPECS(), r, `criteria[${i}]`));
  return body;
}

// Only what differs from the campaign as read (a merge patch).
function diffBody(body, c) {
  const out = {};
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  for (const [k, v] of Object.entries(body)) {
    if (k.endsWith('_at')) {
      // The form shows minutes: an untouched time is the same minute, not the same instant.
      if (!c[k] || toLocalInput(c[k]) !== toLocalInput(v)) out[k] = v;
    } else if (k === 'thresholds') {
      const th = {};
      for (const [tk, tv] of Object.entries(v)) if (c.thresholds[tk] !== tv) th[tk] = tv;
      if (Object.keys(th).length) out.thresholds = th;
    } else if (!same(c[k], v)) {
      out[k] = v;
    }
  }
  for (const k of ['province', 'city']) if (c[k] && body[k] === undefined) out[k] = null;
  for (const k of ['opens_at', 'notice_starts_at', 'notice_ends_at', 'term_no']) {
    if (c[k] && body[k] === undefined) out[k] = null;
  }
  return out;
}

export function CampaignFormPage({ id }) {
  const editing = id !== undefined;
  const [campaign, setCampaign] = useState(null);
  const [etag, setEtag] = useState(null);
  const [form, setForm] = useState(editing ? null : formFromCampaign(null));
  const [loadError, setLoadError] = useState(null);
  const [error, setError] = useState(null);
  const [stale, setStale] = useState(false);
  const [saving, setSaving] = useState(false);
  const [provinces, setProvinces] = useState([]);
  const summaryRef = useRef(null);

  const load = async () => {
    try {
      const r = await api.get(`/api/v1/campaigns/${id}`);
      setCampaign(r.data);
      setEtag(r.etag);
      setForm(formFromCampaign(r.data));
      setStale(false);
      setError(null);
    } catch (e) {
      setLoadError(e);
    }
  };
  useEffect(() => {
    if (editing) load();
    api.reference('provinces').then(setProvinces, () => {});
  }, [id]);

  useEffect(() => {
    if (!error) return;
    let el = null;
    if (error.field) {
      let p = error.field;
      while (p && !(el = document.getElementById(idFor(p)))) {
        const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
        p = cut > 0 ? p.slice(0, cut) : '';
      }
    }
    if (el && el.focus) el.focus();
    else if (summaryRef.current) summaryRef.current.scrollIntoView({ block: 'center' });
  }, [error]);

  if (loadError) return html`<div class="page"><${ErrorBox} error=${loadError} /></div>`;
  if (!form) return html`<div class="page"><${Loading} /></div>`;

  const stage = campaign ? campaign.stage : 'draft';
  const locked = (key) => !changeable(stage, key);
  const set = (k, v) => {
    setForm((f) => ({ ...f, [k]: v }));
    if (error && error.field && error.field.startsWith(k.replace(/_(date|time)$/, ''))) setError(null);
  };
  const setTh = (k, v) => setForm((f) => ({ ...f, thresholds: { ...f.thresholds, [k]: v } }));
  const field = (k, opts = {}) => html`<${SpecField} spec=${{ k, label: t(`campaign.${k}`), ...opts }} path=${k}
    value=${form[k]} onValue=${(v) => set(k, v)} err=${error} disabled=${locked(k)} />`;
  const dateTime = (prefix, key, required) => {
    const msg = fieldMessage(error, key);
    return html`<${Field} id=${idFor(key)} label=${t(`campaign.${key}`)} required=${required} error=${msg}
        hint=${t('campaign.cstHint')}>
      <div class="datetime">
        <input id=${idFor(key)} type="date" value=${form[`${prefix}_date`]} disabled=${locked(key)}
          aria-invalid=${msg ? 'true' : 'false'} aria-label=${`${t(`campaign.${key}`)} ${t('campaign.date')}`}
          onInput=${(e) => set(`${prefix}_date`, e.target.value)} />
        <input id=${`${idFor(key)}-time`} type="time" value=${form[`${prefix}_time`]} disabled=${locked(key)}
          aria-invalid=${msg ? 'true' : 'false'} aria-label=${`${t(`campaign.${key}`)} ${t('campaign.time')}`}
          onInput=${(e) => set(`${prefix}_time`, e.target.value)} />
      </div>
    </${Field}>`;
  };

  const save = async (e) => {
    e.preventDefault();
    if (saving) return;
    let body;
    try {
      body = bodyFromForm(form);
      if (editing) {
        body = diffBody(body, campaign);
        for (const k of Object.keys(body)) if (locked(k)) delete body[k];
      }
    } catch (err) {
      if (err instanceof FormError) {
        setError(err);
        return;
      }
      throw err;
    }
    setSaving(true);
    setError(null);
    setStale(false);
    try {
      if (editing) {
        if (Object.keys(body).length) await api.patch(`/api/v1/campaigns/${id}`, body, { ifMatch: etag });
        navigate(`#/campaigns/${id}`);
      } else {
        const r = await api.post('/api/v1/campaigns', body);
        navigate(`#/campaigns/${r.data.id}`);
      }
    } catch (err) {
      setSaving(false);
      if (err.code === 'precondition_failed') setStale(true);
      else setError(err);
    }
  };

  const provinceSpec = { type: 'select', options: provinces.map((p) => ({ value: p.name, label: p.name })) };
  if (form.province && !provinces.some((p) => p.name === form.province)) {
    provinceSpec.options = provinceSpec.options.concat([{ value: form.province, label: form.province }]);
  }

  return html`<div class="page" id="campaign-form-page">
    <div class="page-head">
      <div>
        ${editing ? html`<div class="crumbs"><a href="#/campaigns">${t('nav.campaigns')}</a> / <a href=${`#/campaigns/${id}`}>${campaign.name}</a></div>` : html`<div class="crumbs"><a href="#/campaigns">${t('nav.campaigns')}</a></div>`}
        <h2>${editing ? t('campaign.editTitle') : t('campaign.newTitle')}</h2>
      </div>
    </div>
    <div ref=${summaryRef}>
      ${stale ? html`<${ErrorBox} title=${t('campaign.stale')}>
          <button type="button" class="btn" id="reload-latest" onClick=${load}>${t('form.reloadLatest')}</button></${ErrorBox}>` : null}
      ${error ? html`<div class="alert alert-error" role="alert" id="form-error-summary">
          <div class="alert-title">${error.field ? t('err.summary', { field: error.field, msg: error.local ? error.message : localizeMessage(error.message) }) : t('err.summaryNoField', { msg: errorTitle(error) })}</div>
          ${!error.local && error.message ? html`<div class="alert-detail">${t('common.serverSays')}${error.message}</div>` : null}
        </div>` : null}
      ${editing && stage !== 'draft' ? html`<div class="alert alert-info" role="status">${t('campaign.lockedHint', { stage: codeName('stage', stage) })}</div>` : null}
    </div>
    <form class="campaign-form" id="campaign-form" onSubmit=${save} novalidate>
      <p class="hint">${t('form.requiredNote')}</p>
      <section class="panel">
        <h3>${t('campaign.sec.basic')}</h3>
        <div class="form-grid">
          ${field('name', { required: true, wide: true, max: 200 })}
          ${field('term_no', { type: 'int', hint: t('campaign.term_noHint') })}
          ${field('title', { required: true, wide: true, max: 200, hint: t('campaign.titleHint') })}
          ${field('province', provinceSpec)}
          ${field('city')}
        </div>
        <h4 class="subhead-h">${t('campaign.authorities')}<span class="req" aria-hidden="true"> *</span></h4>
        <${RowsEditor} specs=${AUTH_SPECS()} rows=${form.authorities} path="authorities" inline=${true}
          onChange=${(rows) => set('authorities', rows)} err=${error} addLabel=${t('campaign.addAuthority')} max=${10}
          disabled=${locked('authorities')} />
      </section>
      <section class="panel">
        <h3>${t('campaign.sec.schedule')}</h3>
        <div class="form-grid">
          ${dateTime('deadline', 'deadline_at', true)}
          ${dateTime('opens', 'opens_at', false)}
          ${field('validity_years', { type: 'int', required: true, hint: t('campaign.validityHint') })}
          ${field('places', { type: 'int', required: true })}
          ${field('cert_number_pattern', { required: true, mono: true, max: 64, placeholder: 'LPS-YJ-{YYYY}-{NNN}', hint: t('campaign.patternHint') })}
          ${dateTime('notice_starts', 'notice_starts_at', false)}
          ${dateTime('notice_ends', 'notice_ends_at', false)}
        </div>
      </section>
      <section class="panel">
        <h3>${t('campaign.sec.thresholds')}</h3>
        <div class="form-grid">
          ${TH_SPECS().map((s) => html`<${SpecField} key=${s.k} spec=${s} path=${`thresholds.${s.k}`} value=${form.thresholds[s.k]}
            onValue=${(v) => setTh(s.k, v)} err=${error} disabled=${locked('thresholds')} />`)}
        </div>
      </section>
      <section class="panel">
        <h3>${t('campaign.sec.criteria')}</h3>
        <p class="hint">${t('campaign.criteriaHint')}</p>
        <${RowsEditor} specs=${CRIT_SPECS()} rows=${form.criteria} path="criteria" inline=${true}
          onChange=${(rows) => set('criteria', rows)} err=${error} addLabel=${t('campaign.addCriterion')} max=${20}
          disabled=${locked('criteria')} />
        <p class="muted">${t('campaign.criteriaTotal', { n: form.criteria.reduce((s, r) => s + (Number(r.max_points) || 0), 0) })}</p>
      </section>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" id="save-campaign" disabled=${saving}>
          ${saving ? t('common.saving') : t('common.save')}</button>
        <a class="btn" href=${editing ? `#/campaigns/${id}` : '#/campaigns'}>${t('common.cancel')}</a>
      </div>
    </form>
  </div>`;
}

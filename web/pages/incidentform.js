// pages/incidentform.js - "报告事件": taking an incident in (POST /api/v1/incidents)
// with every field of the API, and correcting one (PATCH with If-Match, only the
// keys that changed). Class and sub-class come from the GB/T 20986-2023 reference
// table; the discovery time is entered in UTC+8. A unit user reports its own
// discovery: the source is then fixed by the server.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { toDateTimeParts, fromDateTimeParts } from '../format.js';
import { ErrorBox, Loading, Field, fieldMessage } from '../components/ui.js';
import { SpecField, RowsEditor, formRow, rowJson, idFor, FormError } from '../components/forms.js';
import { serverNow } from '../components/clock.js';
import {
  OPERATOR_TYPES, SOURCES, INDICATOR_TYPES, operatorName, sourceName, currentClasses, useIncidentRefs,
} from './incmodel.js';

const INDICATOR_SPECS = [
  { k: 'type', label: () => t('inc.ind.type'), type: 'select', required: true,
    options: INDICATOR_TYPES.map((v) => ({ value: v, label: t(`inc.indType.${v}`) })) },
  { k: 'value', label: () => t('inc.ind.value'), required: true, max: 2048, mono: true },
  { k: 'note', label: () => t('inc.ind.note'), max: 500 },
];
const RANSOM_KEYS = ['amount', 'currency', 'payment_method', 'deadline', 'wallet'];
const TEXT_KEYS = ['title', 'class_code', 'subclass_code', 'affected_org', 'affected_system', 'operator_type',
  'province', 'city', 'description'];

function formFrom(inc) {
  const at = toDateTimeParts(inc ? inc.discovered_at : new Date(serverNow()).toISOString());
  const f = { disc_date: at.date, disc_time: at.time, source: inc ? inc.source : '' };
  for (const k of TEXT_KEYS) f[k] = inc && inc[k] ? String(inc[k]) : '';
  if (!inc) f.operator_type = 'other';
  f.indicators = ((inc && inc.indicators) || []).map((x) => formRow(INDICATOR_SPECS, x));
  f.has_ransom = !!(inc && inc.ransom);
  f.ransom = {};
  for (const k of RANSOM_KEYS) f.ransom[k] = inc && inc.ransom && inc.ransom[k] ? String(inc.ransom[k]) : '';
  return f;
}

// The API's body from the form (empty fields left out); throws FormError.
function bodyFrom(f, isUnit) {
  const body = {};
  for (const k of TEXT_KEYS) if (f[k].trim()) body[k] = f[k].trim();
  const at = fromDateTimeParts(f.disc_date, f.disc_time);
  if (!at) throw new FormError('discovered_at', t('err.badTime'));
  body.discovered_at = at;
  if (!isUnit && f.source) body.source = f.source;
  body.indicators = f.indicators.map((r, i) => rowJson(INDICATOR_SPECS, r, `indicators[${i}]`));
  if (f.has_ransom) {
    const r = {};
    for (const k of RANSOM_KEYS) if (f.ransom[k].trim()) r[k] = f.ransom[k].trim();
    body.ransom = r;
  }
  return body;
}

// Only what changed, for a PATCH (null clears the ransom; other nulls are ignored).
function diffFrom(body, inc) {
  const out = {};
  for (const k of TEXT_KEYS) if ((body[k] || null) !== (inc[k] || null) && body[k] !== undefined) out[k] = body[k];
  if (Date.parse(body.discovered_at) !== Date.parse(inc.discovered_at)) out.discovered_at = body.discovered_at;
  if (JSON.stringify(body.indicators) !== JSON.stringify(inc.indicators || [])) out.indicators = body.indicators;
  const ransom = body.ransom || null;
  if (JSON.stringify(ransom) !== JSON.stringify(inc.ransom || null)) out.ransom = ransom;
  return out;
}

export function IncidentFormPage({ user, id }) {
  const refs = useIncidentRefs();
  const editing = !!id;
  const isUnit = user.role === 'unit';
  const [inc, setInc] = useState(null);
  const [etag, setEtag] = useState(null);
  const [form, setForm] = useState(editing ? null : formFrom(null));
  const [error, setError] = useState(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    if (!editing) return;
    api.get(`/api/v1/incidents/${id}`).then((r) => {
      setInc(r.data);
      setEtag(r.etag);
      setForm(formFrom(r.data));
    }, setError);
  }, [id]);
  if (!form || !refs) {
    return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;
  }

  const set = (k, v) => {
    setForm((f) => ({ ...f, [k]: v, ...(k === 'class_code' ? { subclass_code: '' } : {}) }));
    if (error && error.field && error.field.startsWith(k.replace(/^disc_(date|time)$/, 'discovered_at'))) setError(null);
  };
  const setRansom = (k, v) => setForm((f) => ({ ...f, ransom: { ...f.ransom, [k]: v } }));
  const classes = currentClasses(refs.classes);
  const cls = classes.find((c) => c.code === form.class_code);
  const subs = cls ? cls.subclasses || [] : [];
  const field = (k, opts = {}) => html`<${SpecField} spec=${{ k, label: t(`inc.${k}`), ...opts }} path=${k}
    value=${form[k]} onValue=${(v) => set(k, v)} err=${error} />`;

  const save = async (e) => {
    e.preventDefault();
    if (saving) return;
    let body;
    try {
      body = bodyFrom(form, isUnit);
      if (editing) body = diffFrom(body, inc);
    } catch (err) {
      setError(err);
      return;
    }
    if (editing && Object.keys(body).length === 0) {
      navigate(`#/incidents/${id}`);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const r = editing
        ? await api.patch(`/api/v1/incidents/${id}`, body, { ifMatch: etag })
        : await api.post('/api/v1/incidents', body);
      navigate(`#/incidents/${r.data.id}`);
    } catch (err) {
      setError(err);
      setSaving(false);
      const el = err.field && document.getElementById(idFor(err.field));
      if (el) el.focus();
    }
  };

  const discMsg = fieldMessage(error, 'discovered_at');
  const topError = error && (!error.field || !document.getElementById(idFor(error.field)));
  return html`<div class="page" id="incident-form-page">
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/incidents">${t('nav.incidents')}</a>${editing ? html` / <a href=${`#/incidents/${id}`}>#${id}</a>` : null}</div>
        <h2>${editing ? t('inc.editTitle', { id }) : t('inc.report')}</h2>
        <div class="subhead">${editing ? inc.title : isUnit ? t('inc.reportUnitHint') : t('inc.reportHint')}</div>
      </div>
    </div>
    <form class="incident-form" onSubmit=${save} novalidate>
      <section class="panel">
        <h3>${t('inc.sec.basic')}</h3>
        <div class="form-grid">
          ${field('title', { required: true, max: 200, full: true })}
          <${SpecField} spec=${{ k: 'class_code', label: t('inc.class_code'), type: 'select',
            options: classes.map((c) => ({ value: c.code, label: `${c.code} ${c.name_zh}` })) }}
            path="class_code" value=${form.class_code} onValue=${(v) => set('class_code', v)} err=${error} />
          <${SpecField} spec=${{ k: 'subclass_code', label: t('inc.subclass_code'), type: 'select',
            options: subs.map((s) => ({ value: s.code, label: `${s.code} ${s.name_zh}` })),
            placeholder: cls ? t('form.selectPlaceholder') : t('inc.pickClassFirst') }}
            path="subclass_code" value=${form.subclass_code} onValue=${(v) => set('subclass_code', v)} err=${error}
            disabled=${!subs.length} />
          ${isUnit ? null : html`<${SpecField} spec=${{ k: 'source', label: t('inc.source'), type: 'select', required: !editing,
            options: SOURCES.map((s) => ({ value: s, label: sourceName(s) })) }}
            path="source" value=${form.source} onValue=${(v) => set('source', v)} err=${error} disabled=${editing} />`}
          <${Field} id=${idFor('discovered_at')} label=${t('inc.discovered_at')} required=${true} error=${discMsg} hint=${t('inc.cstHint')}>
            <div class="datetime">
              <input id=${idFor('discovered_at')} type="date" value=${form.disc_date} aria-invalid=${discMsg ? 'true' : 'false'}
                aria-label=${`${t('inc.discovered_at')} ${t('inc.date')}`} onInput=${(e) => set('disc_date', e.target.value)} />
              <input id=${`${idFor('discovered_at')}-time`} type="time" value=${form.disc_time} aria-invalid=${discMsg ? 'true' : 'false'}
                aria-label=${`${t('inc.discovered_at')} ${t('inc.time')}`} onInput=${(e) => set('disc_time', e.target.value)} />
            </div>
          </${Field}>
        </div>
      </section>
      <section class="panel">
        <h3>${t('inc.sec.affected')}</h3>
        <div class="form-grid">
          ${field('affected_org', { required: true, max: 200, wide: true })}
          ${field('affected_system', { max: 200 })}
          <${Field} id=${idFor('operator_type')} label=${t('inc.operator_type')} required=${true}
              error=${fieldMessage(error, 'operator_type')} full=${true} hint=${t('inc.operatorHint')}>
            <div class="radio-group" id=${idFor('operator_type')} role="radiogroup">
              ${OPERATOR_TYPES.map((o) => html`<label class="radio" key=${o}><input type="radio" name="operator_type"
                id=${`${idFor('operator_type')}-${o}`} value=${o} checked=${form.operator_type === o}
                onChange=${() => set('operator_type', o)} />${operatorName(o)}</label>`)}
            </div>
          </${Field}>
          <${SpecField} spec=${{ k: 'province', label: t('inc.province'), type: 'select',
            options: refs.provinces.map((p) => ({ value: p.name, label: p.name })) }}
            path="province" value=${form.province} onValue=${(v) => set('province', v)} err=${error} />
          ${field('city', { max: 100 })}
        </div>
      </section>
      <section class="panel">
        <h3>${t('inc.sec.description')}</h3>
        <div class="form-grid">
          ${field('description', { type: 'textarea', max: 10000, rows: 6, full: true })}
        </div>
        <h4 class="subhead-h">${t('inc.indicators')}</h4>
        <${RowsEditor} specs=${INDICATOR_SPECS} rows=${form.indicators} path="indicators" err=${error}
          onChange=${(rows) => set('indicators', rows)} addLabel=${t('inc.addIndicator')} max=${1000} inline=${true} />
        <h4 class="subhead-h">${t('inc.ransom')}</h4>
        <label class="check-row"><input type="checkbox" id=${idFor('has_ransom')} checked=${form.has_ransom}
          onChange=${(e) => set('has_ransom', e.target.checked)} /><span>${t('inc.hasRansom')}</span></label>
        ${form.has_ransom ? html`<div class="form-grid">
          ${RANSOM_KEYS.map((k) => html`<${SpecField} key=${k} spec=${{ k, label: t(`inc.ransom.${k}`), max: 500, mono: k === 'wallet' }}
            path=${`ransom.${k}`} value=${form.ransom[k]} onValue=${(v) => setRansom(k, v)} err=${error} />`)}
        </div>` : null}
      </section>
      ${topError ? html`<${ErrorBox} error=${error.local ? null : error} title=${error.local ? error.message : null} />` : null}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" id="save-incident" disabled=${saving}>
          ${saving ? t('common.saving') : editing ? t('common.save') : t('inc.reportSubmit')}</button>
        <a class="btn" href=${editing ? `#/incidents/${id}` : '#/incidents'}>${t('common.cancel')}</a>
      </div>
    </form>
  </div>`;
}

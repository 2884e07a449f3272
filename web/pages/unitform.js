// pages/unitform.js - create a unit (POST) or edit one (PATCH with If-Match).
// A 400 puts the server's message next to the field error.field names and a
// summary at the top; a 412 says someone else changed the unit.
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, localizeMessage } from '../i18n.js';
import { navigate } from '../router.js';
import { todayCst } from '../format.js';
import { ErrorBox, Field, Loading, fieldMessage, errorTitle } from '../components/ui.js';
import { capabilityName, contactRoleName } from '../components/names.js';
import {
  emptyForm, formFromUnit, bodyFromForm, FormError, idFor, pathLabel,
  emptyContact, emptyOffice, emptyStaff, emptyCapability, emptyOncall,
} from './unitmodel.js';

const EMPTY_ROW = {
  contacts: emptyContact,
  offices: emptyOffice,
  staff: emptyStaff,
  capabilities: emptyCapability,
  oncall: emptyOncall,
};

export function UnitFormPage({ user, id }) {
  const editing = id !== undefined;
  const [form, setForm] = useState(editing ? null : emptyForm());
  const [etag, setEtag] = useState(null);
  const [unitName, setUnitName] = useState('');
  const [loadError, setLoadError] = useState(null);
  const [error, setError] = useState(null);
  const [stale, setStale] = useState(false);
  const [saving, setSaving] = useState(false);
  const [provinces, setProvinces] = useState([]);
  const [roles, setRoles] = useState([]);
  const [fields, setFields] = useState([]);
  const summaryRef = useRef(null);

  const load = async () => {
    setLoadError(null);
    try {
      const r = await api.get(`/api/v1/units/${id}`);
      setForm(formFromUnit(r.data));
      setEtag(r.etag);
      setUnitName(r.data.name);
      setError(null);
      setStale(false);
    } catch (e) {
      setLoadError(e);
    }
  };

  useEffect(() => {
    if (editing) load();
    api.reference('provinces').then(setProvinces, () => {});
    api.reference('contact-roles').then(setRoles, () => {});
    api.reference('capability-fields').then(setFields, () => {});
  }, [id]);

  // After a failed save, bring the offending field (or the summary) into view.
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
    if (el && el.focus) {
      el.focus();
    } else if (summaryRef.current) {
      summaryRef.current.scrollIntoView({ block: 'center' });
    }
  }, [error]);

  if (loadError) return html`<div class="page"><${ErrorBox} error=${loadError} /></div>`;
  if (!form) return html`<div class="page"><${Loading} /></div>`;

  // --- state updates -----------------------------------------------------------------
  const clearErrorAt = (path) => {
    if (error && error.field && (error.field === path || error.field.startsWith(`${path}[`))) setError(null);
  };
  const setTop = (k, v) => {
    setForm((f) => ({ ...f, [k]: v }));
    clearErrorAt(k);
  };
  const setRow = (list, i, k, v) => {
    setForm((f) => ({ ...f, [list]: f[list].map((r, j) => (j === i ? { ...r, [k]: v } : r)) }));
    clearErrorAt(`${list}[${i}].${k}`);
  };
  const addRow = (list, arg) => setForm((f) => ({ ...f, [list]: f[list].concat([EMPTY_ROW[list](arg)]) }));
  const removeRow = (list, i) => {
    setForm((f) => ({ ...f, [list]: f[list].filter((r, j) => j !== i) }));
    if (error && error.field && error.field.startsWith(`${list}[`)) setError(null);
  };

  // --- controls ----------------------------------------------------------------------
  const msg = (path, prefix = false) => fieldMessage(error, path, prefix);
  const input = (path, value, onValue, opts = {}) => html`<input id=${idFor(path)} name=${path}
    type=${opts.type || 'text'} value=${value} maxlength=${opts.maxlength} max=${opts.max}
    inputmode=${opts.inputmode} placeholder=${opts.placeholder || ''} autocomplete="off"
    aria-invalid=${msg(path, opts.prefix) ? 'true' : 'false'}
    class=${opts.mono ? 'mono' : ''}
    onInput=${(e) => onValue(e.target.value)} />`;
  const select = (path, value, onValue, options, placeholder = t('form.selectPlaceholder')) => html`<select
    id=${idFor(path)} name=${path} value=${value} aria-invalid=${msg(path) ? 'true' : 'false'}
    onChange=${(e) => onValue(e.target.value)}>
    <option value="">${placeholder}</option>
    ${options.map((o) => html`<option key=${o.value} value=${o.value} disabled=${o.disabled}>${o.label}</option>`)}
  </select>`;
  const check = (path, value, onValue) => html`<label class="check">
    <input id=${idFor(path)} type="checkbox" checked=${value} onChange=${(e) => onValue(e.target.checked)} />
  </label>`;

  const top = (k, label, opts = {}) => html`<${Field} id=${idFor(k)} label=${label} required=${opts.required}
      error=${msg(k)} hint=${opts.hint} wide=${opts.wide} full=${opts.full}>
    ${opts.control || input(k, form[k], (v) => setTop(k, v), opts)}
  </${Field}>`;
  const cell = (list, i, k, label, opts = {}) => {
    const path = `${list}[${i}].${k}`;
    const row = form[list][i];
    return html`<${Field} id=${idFor(path)} label=${label} required=${opts.required}
        error=${msg(path, opts.prefix)} hint=${opts.hint} wide=${opts.wide}>
      ${opts.control || input(path, row[k], (v) => setRow(list, i, k, v), opts)}
    </${Field}>`;
  };

  const provinceOptions = provinces.map((p) => ({ value: p.name, label: p.name }));
  const withCurrent = (opts, v) => (v && !opts.some((o) => o.value === v) ? opts.concat([{ value: v, label: v }]) : opts);

  const sectionHead = (list, title, addLabel, onAdd, disabled) => html`<div class="section-head">
    <h3>${title}<span class="count">${form[list].length}</span></h3>
    <button type="button" class="btn btn-small" id=${`add-${list}`} onClick=${onAdd} disabled=${disabled}>＋ ${addLabel}</button>
  </div>
  ${msg(list) ? html`<div class="field-error" role="alert">${msg(list)}</div>` : null}`;

  const removeBtn = (list, i) => html`<button type="button" class="btn-icon btn-remove" title=${t('form.removeRow')}
    aria-label=${`${t('form.removeRow')} ${i + 1}`} onClick=${() => removeRow(list, i)}>×</button>`;

  // --- save --------------------------------------------------------------------------
  const save = async (e) => {
    e.preventDefault();
    if (saving) return;
    let body;
    try {
      body = bodyFromForm(form, editing);
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
        await api.patch(`/api/v1/units/${id}`, body, { ifMatch: etag });
        navigate(`#/units/${id}`);
      } else {
        const r = await api.post('/api/v1/units', body);
        navigate(`#/units/${r.data.id}`);
      }
    } catch (err) {
      setSaving(false);
      if (err.code === 'precondition_failed') setStale(true);
      else setError(err);
    }
  };

  const usedRoles = new Set(form.contacts.map((c) => c.role).filter(Boolean));
  const usedFields = new Set(form.capabilities.map((c) => c.field).filter(Boolean));
  const nextRole = roles.find((r) => !usedRoles.has(r.code));
  const nextField = fields.find((f) => !usedFields.has(f.code));

  const summary = error
    ? error.field
      ? t('err.summary', { field: pathLabel(error.field), msg: error.local ? error.message : localizeMessage(error.message) })
      : t('err.summaryNoField', { msg: errorTitle(error) })
    : '';

  return html`<div class="page">
    <div class="page-head">
      <div>
        ${editing ? html`<div class="crumbs"><a href=${`#/units/${id}`}>${unitName}</a></div>` : null}
        <h2>${editing ? t('form.editTitle') : t('form.newTitle')}</h2>
      </div>
    </div>
    <div ref=${summaryRef}>
      ${stale
        ? html`<${ErrorBox} title=${t('form.stale')}>
            <button type="button" class="btn" id="reload-latest" onClick=${load}>${t('form.reloadLatest')}</button>
          </${ErrorBox}>`
        : null}
      ${error
        ? html`<div class="alert alert-error" role="alert" id="form-error-summary">
            <div class="alert-title">${summary}</div>
            ${!error.local && error.message
              ? html`<div class="alert-detail">${errorTitle(error)} · ${t('common.serverSays')}${error.field ? `${error.field}: ` : ''}${error.message}</div>`
              : null}
          </div>`
        : null}
    </div>
    <form class="unit-form" id="unit-form" onSubmit=${save} novalidate>
      <p class="hint">${t('form.requiredNote')}</p>

      <section class="panel">
        <h3>${t('unit.basic')}</h3>
        <div class="form-grid">
          ${top('name', t('unit.name'), { required: true, wide: true })}
          ${top('credit_code', t('unit.credit_code'), { required: true, mono: true, maxlength: 18, placeholder: '91350100M000100Y43' })}
          ${top('registered_capital', t('unit.registered_capital'), { inputmode: 'numeric' })}
          ${top('legal_representative', t('unit.legal_representative'))}
          ${top('founded_on', t('unit.founded_on'), { type: 'date', max: todayCst() })}
          ${top('business_term', t('unit.business_term'), { placeholder: '2015-03-01 至 长期' })}
          ${top('registration_authority', t('unit.registration_authority'))}
          ${top('province', t('unit.province'), {
            control: select('province', form.province, (v) => setTop('province', v), withCurrent(provinceOptions, form.province)),
          })}
          ${top('city', t('unit.city'))}
          ${top('address', t('unit.address'), { wide: true })}
          ${top('business_scope', t('unit.business_scope'), {
            full: true,
            control: html`<textarea id=${idFor('business_scope')} rows="3" value=${form.business_scope}
              aria-invalid=${msg('business_scope') ? 'true' : 'false'}
              onInput=${(e) => setTop('business_scope', e.target.value)}></textarea>`,
          })}
        </div>
      </section>

      <section class="panel" id="form-contacts">
        ${sectionHead('contacts', t('unit.contacts'), t('form.addContact'),
          () => addRow('contacts', nextRole ? nextRole.code : ''), roles.length > 0 && !nextRole)}
        ${form.contacts.map((c, i) => html`<div key=${c._k} class=${c.role === 'interface' ? 'row-card row-interface' : 'row-card'}>
          <div class="row-card-head"><span class="row-no">${i + 1}</span>
            ${c.role === 'interface' ? html`<span class="badge badge-accent">${t('contactRole.interface')}</span>` : null}
            ${removeBtn('contacts', i)}</div>
          <div class="form-grid">
            ${cell('contacts', i, 'role', t('contact.role'), {
              required: true,
              control: select(`contacts[${i}].role`, c.role, (v) => setRow('contacts', i, 'role', v),
                roles.map((r) => ({ value: r.code, label: contactRoleName(r.code, r), disabled: usedRoles.has(r.code) && r.code !== c.role }))),
            })}
            ${cell('contacts', i, 'name', t('contact.name'))}
            ${cell('contacts', i, 'dept_title', t('contact.dept_title'))}
            ${cell('contacts', i, 'mobile', t('contact.mobile'), { inputmode: 'tel', mono: true })}
            ${cell('contacts', i, 'office_phone', t('contact.office_phone'), { inputmode: 'tel', mono: true })}
            ${cell('contacts', i, 'email', t('contact.email'), { type: 'email' })}
          </div>
        </div>`)}
      </section>

      <section class="panel" id="form-offices">
        ${sectionHead('offices', t('unit.offices'), t('form.addOffice'), () => addRow('offices'))}
        ${form.offices.map((o, i) => html`<div key=${o._k} class="row-card">
          <div class="row-card-head"><span class="row-no">${i + 1}</span>${removeBtn('offices', i)}</div>
          <div class="form-grid">
            ${cell('offices', i, 'name', t('office.name'))}
            ${cell('offices', i, 'is_headquarters', t('office.is_headquarters'), {
              control: check(`offices[${i}].is_headquarters`, o.is_headquarters, (v) => setRow('offices', i, 'is_headquarters', v)),
            })}
            ${cell('offices', i, 'province', t('office.province'), {
              control: select(`offices[${i}].province`, o.province, (v) => setRow('offices', i, 'province', v), withCurrent(provinceOptions, o.province)),
            })}
            ${cell('offices', i, 'city', t('office.city'))}
            ${cell('offices', i, 'address', t('office.address'), { wide: true })}
            ${cell('offices', i, 'floor_area_m2', t('office.floor_area_m2'), { inputmode: 'numeric' })}
            ${cell('offices', i, 'tenure', t('office.tenure'), {
              control: select(`offices[${i}].tenure`, o.tenure, (v) => setRow('offices', i, 'tenure', v), [
                { value: 'owned', label: t('office.tenure.owned') },
                { value: 'rented', label: t('office.tenure.rented') },
              ]),
            })}
            ${cell('offices', i, 'staff_count', t('office.staff_count'), { inputmode: 'numeric' })}
            ${cell('offices', i, 'security_lead', t('office.security_lead'))}
            ${cell('offices', i, 'phone', t('office.phone'), { inputmode: 'tel', mono: true })}
          </div>
        </div>`)}
      </section>

      <section class="panel" id="form-staff">
        ${sectionHead('staff', t('unit.staff'), t('form.addStaff'), () => addRow('staff'))}
        ${form.staff.map((p, i) => html`<div key=${p._k} class="row-card">
          <div class="row-card-head"><span class="row-no">${i + 1}</span>${removeBtn('staff', i)}</div>
          <div class="form-grid">
            ${cell('staff', i, 'name', t('staff.name'), { required: true })}
            ${cell('staff', i, 'department', t('staff.department'))}
            ${cell('staff', i, 'post', t('staff.post'))}
            ${cell('staff', i, 'title', t('staff.title'))}
            ${cell('staff', i, 'education', t('staff.education'))}
            ${cell('staff', i, 'school', t('staff.school'))}
            ${cell('staff', i, 'major', t('staff.major'))}
            ${cell('staff', i, 'years_in_field', t('staff.years_in_field'), { inputmode: 'numeric' })}
            ${cell('staff', i, 'in_province', t('staff.in_province'), {
              control: check(`staff[${i}].in_province`, p.in_province, (v) => setRow('staff', i, 'in_province', v)),
            })}
            ${cell('staff', i, 'certificates', t('staff.certificates'), { wide: true, prefix: true, hint: t('staff.certificatesHint') })}
          </div>
        </div>`)}
      </section>

      <section class="panel" id="form-capabilities">
        ${sectionHead('capabilities', t('unit.capabilities'), t('form.addCapability'),
          () => addRow('capabilities', nextField ? nextField.code : ''), fields.length > 0 && !nextField)}
        ${form.capabilities.map((c, i) => html`<div key=${c._k} class="row-card row-inline">
          <div class="form-grid">
            ${cell('capabilities', i, 'field', t('cap.field'), {
              required: true,
              control: select(`capabilities[${i}].field`, c.field, (v) => setRow('capabilities', i, 'field', v),
                fields.map((f) => ({ value: f.code, label: capabilityName(fields, f.code), disabled: usedFields.has(f.code) && f.code !== c.field }))),
            })}
            ${cell('capabilities', i, 'description', t('cap.description'), { wide: true })}
          </div>
          ${removeBtn('capabilities', i)}
        </div>`)}
      </section>

      <section class="panel" id="form-oncall">
        ${sectionHead('oncall', t('unit.oncall'), t('form.addOncall'), () => addRow('oncall'))}
        <p class="hint">${t('oncall.tzHint')}</p>
        ${form.oncall.map((s, i) => html`<div key=${s._k} class="row-card row-inline">
          <div class="form-grid">
            ${cell('oncall', i, 'person', t('oncall.person'), { required: true })}
            ${cell('oncall', i, 'mobile', t('oncall.mobile'), { inputmode: 'tel', mono: true })}
            ${cell('oncall', i, 'starts_at', t('oncall.starts_at'), { type: 'datetime-local', required: true })}
            ${cell('oncall', i, 'ends_at', t('oncall.ends_at'), { type: 'datetime-local', required: true })}
          </div>
          ${removeBtn('oncall', i)}
        </div>`)}
      </section>

      <div class="form-actions">
        <button type="submit" class="btn btn-primary" id="save-unit" disabled=${saving}>
          ${saving ? t('common.saving') : t('common.save')}</button>
        <a class="btn" href=${editing ? `#/units/${id}` : '#/units'}>${t('common.cancel')}</a>
      </div>
    </form>
  </div>`;
}

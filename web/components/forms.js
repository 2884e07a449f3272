// components/forms.js - form pieces driven by a small field spec, shared by the
// campaign form and the application editor. A spec is
//   {k, label, type: 'text'|'textarea'|'date'|'time'|'int'|'check'|'select'|'list',
//    required, wide, full, max, rows, hint, options: [{value, label}], mono, placeholder}
// Values are held as strings (booleans for checks) while editing; toJson turns a
// row into the API's JSON and throws FormError for what the browser can tell is
// wrong (a non-integer). The server checks everything else and names the field.
import { html } from '../vendor/standalone.module.js';
import { t } from '../i18n.js';
import { Field, fieldMessage } from './ui.js';
import { FormError, idFor } from '../pages/unitmodel.js';

export { FormError, idFor };

let nextKey = 1;
export const rowKey = () => `r${nextKey++}`;

const str = (v) => (v === null || v === undefined ? '' : String(v));

// The form value of one field from the API's JSON.
export function formValue(spec, v) {
  if (spec.type === 'check') return !!v;
  if (spec.type === 'list') return Array.isArray(v) ? v.join(', ') : str(v);
  return str(v);
}

// A row (object) of the API's JSON as the form holds it.
export function formRow(specs, obj) {
  const row = { _k: rowKey() };
  for (const s of specs) row[s.k] = formValue(s, obj ? obj[s.k] : undefined);
  return row;
}

// One field's JSON value, or undefined when empty; path names it in a FormError.
export function jsonValue(spec, v, path) {
  if (spec.type === 'check') return !!v;
  const s = typeof v === 'string' ? v.trim() : str(v);
  if (s === '') return undefined;
  if (spec.type === 'int') {
    if (!/^\d+$/.test(s)) throw new FormError(path, t('err.notInteger'));
    return Number(s);
  }
  if (spec.type === 'list') return s.split(/[,，、;；\n]+/).map((x) => x.trim()).filter(Boolean);
  return s;
}

// A row back to the API's JSON (empty fields left out).
export function rowJson(specs, row, path) {
  const out = {};
  for (const s of specs) {
    const v = jsonValue(s, row[s.k], `${path}.${s.k}`);
    if (v !== undefined) out[s.k] = v;
  }
  return out;
}

// One control for a spec; disabled: read-only.
export function Control({ spec, path, value, onValue, err, disabled }) {
  const id = idFor(path);
  const invalid = fieldMessage(err, path, true) ? 'true' : 'false';
  switch (spec.type) {
    case 'textarea':
      return html`<textarea id=${id} name=${path} rows=${spec.rows || 4} value=${value} disabled=${disabled}
        maxlength=${spec.max} aria-invalid=${invalid} onInput=${(e) => onValue(e.target.value)}></textarea>`;
    case 'check':
      return html`<label class="check"><input id=${id} name=${path} type="checkbox" checked=${!!value}
        disabled=${disabled} onChange=${(e) => onValue(e.target.checked)} />
        ${spec.checkLabel ? html`<span class="check-label">${spec.checkLabel}</span>` : null}</label>`;
    case 'select':
      return html`<select id=${id} name=${path} value=${value} disabled=${disabled} aria-invalid=${invalid}
        onChange=${(e) => onValue(e.target.value)}>
        <option value="">${spec.placeholder || t('form.selectPlaceholder')}</option>
        ${(spec.options || []).map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
      </select>`;
    default: {
      const type = spec.type === 'int' ? 'text' : spec.type === 'list' ? 'text' : spec.type || 'text';
      return html`<input id=${id} name=${path} type=${type} value=${value} disabled=${disabled}
        inputmode=${spec.type === 'int' ? 'numeric' : undefined} maxlength=${spec.type === 'text' || !spec.type ? spec.max : undefined}
        placeholder=${spec.placeholder || ''} autocomplete="off" class=${spec.mono ? 'mono' : ''}
        aria-invalid=${invalid} onInput=${(e) => onValue(e.target.value)} />`;
    }
  }
}

// A labelled control with its error (err: an ApiError-like {field, message}).
export function SpecField({ spec, path, value, onValue, err, disabled }) {
  const label = typeof spec.label === 'function' ? spec.label() : spec.label;
  const count = spec.max && (spec.type === 'textarea') && typeof value === 'string'
    ? t('form.chars', { n: [...value].length, max: spec.max }) : null;
  return html`<${Field} id=${idFor(path)} label=${label} required=${spec.required}
      error=${fieldMessage(err, path, true)} hint=${spec.hint || count} wide=${spec.wide} full=${spec.full}>
    <${Control} spec=${spec} path=${path} value=${value} onValue=${onValue} err=${err} disabled=${disabled} />
  </${Field}>`;
}

// A list of rows, each a card of fields, with add and remove.
// rows: form rows (with _k); onChange(newRows); path: e.g. "finances".
export function RowsEditor({ specs, rows, path, onChange, err, addLabel, max, disabled, inline, dense }) {
  const set = (i, k, v) => onChange(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  const remove = (i) => onChange(rows.filter((r, j) => j !== i));
  const add = () => onChange(rows.concat([formRow(specs, null)]));
  const own = fieldMessage(err, path);
  return html`<div class="rows-editor" id=${idFor(path)} tabindex="-1">
    ${own ? html`<div class="field-error" role="alert" data-error-for=${idFor(path)}>${own}</div>` : null}
    ${rows.map((r, i) => html`<div key=${r._k} class=${inline ? 'row-card row-inline' : 'row-card'}>
      ${inline ? null : html`<div class="row-card-head"><span class="row-no">${i + 1}</span>
        ${disabled ? null : html`<button type="button" class="btn-icon btn-remove" title=${t('form.removeRow')}
          aria-label=${`${t('form.removeRow')} ${i + 1}`} onClick=${() => remove(i)}>×</button>`}</div>`}
      <div class=${dense ? 'form-grid form-grid-dense' : 'form-grid'}>
        ${specs.map((s) => html`<${SpecField} key=${s.k} spec=${s} path=${`${path}[${i}].${s.k}`} value=${r[s.k]}
          onValue=${(v) => set(i, s.k, v)} err=${err} disabled=${disabled} />`)}
        ${fieldMessage(err, `${path}[${i}]`) ? html`<div class="field-error field-full" role="alert">${fieldMessage(err, `${path}[${i}]`)}</div>` : null}
      </div>
      ${inline && !disabled ? html`<button type="button" class="btn-icon btn-remove" title=${t('form.removeRow')}
        aria-label=${`${t('form.removeRow')} ${i + 1}`} onClick=${() => remove(i)}>×</button>` : null}
    </div>`)}
    ${rows.length === 0 ? html`<p class="muted empty-rows">${t('form.noRows')}</p>` : null}
    ${disabled ? null : html`<button type="button" class="btn btn-small" id=${`add-${idFor(path).slice(2)}`}
      disabled=${max !== undefined && rows.length >= max} onClick=${add}>＋ ${addLabel || t('common.add')}</button>`}
  </div>`;
}

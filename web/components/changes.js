// components/changes.js - an audit record's "changes" object, rendered for people:
// a create lists the new object's fields, an update lists field: old → new.
import { html } from '../vendor/standalone.module.js';
import { t, has, roleName } from '../i18n.js';
import { fmtTime } from '../format.js';
import { referenceNow } from '../api.js';
import { capabilityName, contactRoleName } from './names.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

// The label prefix used for the items of each array field.
const ITEM_PREFIX = {
  contacts: 'contact',
  offices: 'office',
  staff: 'staff',
  capabilities: 'cap',
  oncall: 'oncall',
};

export function fieldLabel(key, objectType, parent) {
  const candidates = [];
  if (objectType === 'token' && key === 'name') return t('account.tokenName');
  if (parent && ITEM_PREFIX[parent]) candidates.push(`${ITEM_PREFIX[parent]}.${key}`);
  if (objectType === 'user') candidates.push(`users.${key}`);
  if (objectType === 'campaign') candidates.push(`campaign.${key}`);
  if (objectType === 'certificate') candidates.push(`cert.${key}`);
  if (objectType === 'application' || objectType === 'attachment') candidates.push(`app.${key}`, `sec.${key}`);
  if (objectType === 'token') candidates.push(`account.${key}`);
  candidates.push(`unit.${key}`);
  for (const c of candidates) if (has(c)) return t(c);
  return key;
}

function scalarText(v, key, parent) {
  if (v === null || v === undefined) return t('common.none');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'string' && ISO_TIME.test(v)) return fmtTime(v);
  if (key === 'role' && !parent && typeof v === 'string' && has(`role.${v}`)) return roleName(v);
  if (key === 'tenure' && has(`office.tenure.${v}`)) return t(`office.tenure.${v}`);
  if (parent === 'contacts' && key === 'role') return contactRoleName(v);
  if (parent === 'capabilities' && key === 'field') return capabilityName(referenceNow('capability-fields'), v);
  return String(v);
}

// One item of an array field (a contact, a staff member, ...) as a line of text.
function itemText(item, parent, objectType) {
  if (item === null || typeof item !== 'object') return scalarText(item);
  if (Array.isArray(item)) return item.map((x) => itemText(x, parent, objectType)).join('、');
  return Object.entries(item)
    .map(([k, v]) => {
      const val = Array.isArray(v) ? v.map((x) => scalarText(x)).join('、') : scalarText(v, k, parent);
      return `${fieldLabel(k, objectType, parent)}: ${val}`;
    })
    .join('；');
}

// Arrays of objects longer than this are folded into a <details> element.
const FOLD = 1;

export function Value({ v, name, objectType, fold = true }) {
  if (Array.isArray(v)) {
    if (v.length === 0) return html`<span class="muted">${t('common.none')}</span>`;
    if (v.every((x) => x === null || typeof x !== 'object')) {
      return html`<span>${v.map((x) => scalarText(x)).join('、')}</span>`;
    }
    const list = html`<ol class="change-list">${v.map((x, i) => html`<li key=${i}>${itemText(x, name, objectType)}</li>`)}</ol>`;
    if (!fold || v.length <= FOLD) return list;
    return html`<details class="change-fold"><summary>${t('audit.items', { n: v.length })}</summary>${list}</details>`;
  }
  if (v !== null && typeof v === 'object') {
    return html`<span>${itemText(v, name, objectType)}</span>`;
  }
  return html`<span>${scalarText(v, name)}</span>`;
}

// For two arrays, only the items that differ: [removed, added]. Arrays that
// differ only in order (or values that are not both arrays) are kept whole.
function arrayDelta(oldV, newV) {
  if (!Array.isArray(oldV) || !Array.isArray(newV)) return [oldV, newV];
  const key = (x) => JSON.stringify(x);
  const oldKeys = new Set(oldV.map(key));
  const newKeys = new Set(newV.map(key));
  const removed = oldV.filter((x) => !newKeys.has(key(x)));
  const added = newV.filter((x) => !oldKeys.has(key(x)));
  if (removed.length === 0 && added.length === 0) return [oldV, newV];
  return [removed, added];
}

function isUpdate(changes) {
  const vals = Object.values(changes);
  return vals.length > 0 && vals.every((v) => v && typeof v === 'object' && !Array.isArray(v) &&
    'old' in v && 'new' in v && Object.keys(v).length === 2);
}

export function Changes({ changes, objectType, action }) {
  if (!changes || typeof changes !== 'object' || Object.keys(changes).length === 0) {
    return html`<span class="muted">${t('audit.noChanges')}</span>`;
  }
  const update = (action && action.endsWith('.update')) || isUpdate(changes);
  if (update) {
    return html`<table class="changes">
      <tbody>
        ${Object.entries(changes).map(([k, v]) => {
          const [oldV, newV] = arrayDelta(v && v.old, v && v.new);
          return html`<tr key=${k}>
            <th>${fieldLabel(k, objectType)}</th>
            <td class="old"><${Value} v=${oldV} name=${k} objectType=${objectType} fold=${false} /></td>
            <td class="arrow" aria-hidden="true">→</td>
            <td class="new"><${Value} v=${newV} name=${k} objectType=${objectType} fold=${false} /></td>
          </tr>`;
        })}
      </tbody>
    </table>`;
  }
  return html`<table class="changes">
    <tbody>
      ${Object.entries(changes).map(([k, v]) => html`<tr key=${k}>
        <th>${fieldLabel(k, objectType)}</th>
        <td colspan="3"><${Value} v=${v} name=${k} objectType=${objectType} /></td>
      </tr>`)}
    </tbody>
  </table>`;
}

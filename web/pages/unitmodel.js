// pages/unitmodel.js - a unit as the edit form holds it (strings for inputs, a
// key per row) and back to the API's JSON, with the few checks the browser can
// make itself (whole numbers). Everything else is validated by the server.
import { t } from '../i18n.js';
import { toLocalInput, fromLocalInput } from '../format.js';

let nextKey = 1;
const key = () => nextKey++;

const TOP_TEXT = ['name', 'credit_code', 'legal_representative', 'founded_on', 'business_term',
  'business_scope', 'registration_authority', 'province', 'city', 'address'];

const str = (v) => (v === null || v === undefined ? '' : String(v));

export function emptyContact(role = '') {
  return { _k: key(), role, name: '', dept_title: '', mobile: '', office_phone: '', email: '' };
}
export function emptyOffice() {
  return { _k: key(), name: '', is_headquarters: false, province: '', city: '', address: '',
    floor_area_m2: '', tenure: '', staff_count: '', security_lead: '', phone: '' };
}
export function emptyStaff() {
  return { _k: key(), name: '', department: '', education: '', title: '', school: '', major: '',
    years_in_field: '', post: '', in_province: true, certificates: '' };
}
export function emptyCapability(field = '') {
  return { _k: key(), field, description: '' };
}
export function emptyOncall() {
  return { _k: key(), person: '', mobile: '', starts_at: '', ends_at: '' };
}

export function emptyForm() {
  const f = { registered_capital: '', contacts: [], offices: [], staff: [], capabilities: [], oncall: [] };
  for (const k of TOP_TEXT) f[k] = '';
  return f;
}

export function formFromUnit(u) {
  const f = emptyForm();
  for (const k of TOP_TEXT) f[k] = str(u[k]);
  f.registered_capital = str(u.registered_capital);
  f.contacts = (u.contacts || []).map((c) => ({ ...emptyContact(), ...mapStr(c) }));
  f.offices = (u.offices || []).map((o) => ({
    ...emptyOffice(), ...mapStr(o), is_headquarters: !!o.is_headquarters,
  }));
  f.staff = (u.staff || []).map((p) => ({
    ...emptyStaff(), ...mapStr(p), in_province: p.in_province !== false,
    certificates: (p.certificates || []).join(', '),
  }));
  f.capabilities = (u.capabilities || []).map((c) => ({ ...emptyCapability(), ...mapStr(c) }));
  // The inputs show minutes only; the server's exact times are kept so that an
  // untouched shift is sent back unchanged (no spurious change in the history).
  f.oncall = (u.oncall || []).map((s) => ({
    ...emptyOncall(), person: str(s.person), mobile: str(s.mobile),
    starts_at: toLocalInput(s.starts_at), ends_at: toLocalInput(s.ends_at),
    _orig: { starts_at: [toLocalInput(s.starts_at), s.starts_at], ends_at: [toLocalInput(s.ends_at), s.ends_at] },
  }));
  return f;
}

function mapStr(o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'boolean' || Array.isArray(v)) continue;
    out[k] = str(v);
  }
  return out;
}

// A local (browser-side) validation error, shaped like the server's.
export class FormError extends Error {
  constructor(field, message) {
    super(message);
    this.code = 'invalid';
    this.field = field;
    this.local = true;
  }
}

function int(value, path) {
  const s = value.trim();
  if (s === '') return undefined;
  if (!/^\d+$/.test(s)) throw new FormError(path, t('err.notInteger'));
  return Number(s);
}

// Copies the non-empty text fields of a row (trimmed).
function texts(row, keys, out) {
  for (const k of keys) {
    const v = (row[k] || '').trim();
    if (v !== '') out[k] = v;
  }
  return out;
}

// The API document for the form. clearEmpty: send null for empty top-level
// fields (a merge patch clears them) instead of leaving them out.
// Throws FormError for what the browser itself can tell is wrong.
export function bodyFromForm(f, clearEmpty) {
  const body = {};
  for (const k of TOP_TEXT) {
    const v = f[k].trim();
    if (v !== '') body[k] = v;
    else if (clearEmpty) body[k] = null;
  }
  const cap = int(f.registered_capital, 'registered_capital');
  if (cap !== undefined) body.registered_capital = cap;
  else if (clearEmpty) body.registered_capital = null;

  body.contacts = f.contacts.map((c) => texts(c, ['role', 'name', 'dept_title', 'mobile', 'office_phone', 'email'], {}));
  body.offices = f.offices.map((o, i) => {
    const out = texts(o, ['name', 'province', 'city', 'address', 'tenure', 'security_lead', 'phone'], {});
    out.is_headquarters = !!o.is_headquarters;
    const area = int(o.floor_area_m2, `offices[${i}].floor_area_m2`);
    if (area !== undefined) out.floor_area_m2 = area;
    const n = int(o.staff_count, `offices[${i}].staff_count`);
    if (n !== undefined) out.staff_count = n;
    return out;
  });
  body.staff = f.staff.map((p, i) => {
    const out = texts(p, ['name', 'department', 'education', 'title', 'school', 'major', 'post'], {});
    const y = int(p.years_in_field, `staff[${i}].years_in_field`);
    if (y !== undefined) out.years_in_field = y;
    out.in_province = !!p.in_province;
    out.certificates = p.certificates.split(/[,，、;；\n]+/).map((s) => s.trim()).filter(Boolean);
    return out;
  });
  body.capabilities = f.capabilities.map((c) => texts(c, ['field', 'description'], {}));
  body.oncall = f.oncall.map((s, i) => {
    const out = texts(s, ['person', 'mobile'], {});
    for (const k of ['starts_at', 'ends_at']) {
      if (s[k] && s._orig && s._orig[k] && s._orig[k][0] === s[k]) {
        out[k] = s._orig[k][1];
      } else if (s[k]) {
        const v = fromLocalInput(s[k]);
        if (!v) throw new FormError(`oncall[${i}].${k}`, t('err.badTime'));
        out[k] = v;
      }
    }
    return out;
  });
  return body;
}

// "contacts[1].email" -> "f-contacts-1-email": the id of that field's input.
export function idFor(path) {
  return `f-${path.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-')}`;
}

const SECTION_LABEL = {
  contacts: ['unit.contacts', 'contact'],
  offices: ['unit.offices', 'office'],
  staff: ['unit.staff', 'staff'],
  capabilities: ['unit.capabilities', 'cap'],
  oncall: ['unit.oncall', 'oncall'],
};

// A field path for people: "联系人 第 2 行 · 电子邮箱".
export function pathLabel(path) {
  if (!path) return '';
  const m = /^(\w+)(?:\[(\d+)\])?(?:\.(\w+))?/.exec(path);
  if (!m) return path;
  const [, top, idx, sub] = m;
  const sec = SECTION_LABEL[top];
  if (!sec) return t(`unit.${top}`) === `unit.${top}` ? path : t(`unit.${top}`);
  let s = t(sec[0]);
  if (idx !== undefined) s += ` ${t('form.row', { n: Number(idx) + 1 })}`;
  if (sub) s += ` · ${t(`${sec[1]}.${sub}`)}`;
  return s;
}

// pages/appmodel.js - an application's content (the template of seed 001, see
// docs/api-selection.md "Content") section by section: the field specs the
// editor and the read-only view share, the form state, the JSON each top-level
// key is saved as (a merge patch over the working version), and the checklist
// of what submission will ask for.
import { t, getLang } from '../i18n.js';
import { formRow, rowJson, jsonValue, formValue } from '../components/forms.js';

// The sections in the template's order; key: the content's top-level key.
export const SECTIONS = [
  'profile', 'security_since', 'finances', 'organisation', 'qualifications', 'main_business',
  'projects', 'typical_cases', 'major_event_case', 'cooperation', 'management_systems',
  'support_plan', 'other_work', 'declarations', 'attachments',
];

export const TEXT_SECTIONS = {
  organisation: { max: 5000, required: true },
  main_business: { max: 5000, required: true },
  cooperation: { max: 5000 },
  management_systems: { max: 5000, required: true },
  support_plan: { max: 1000, required: true },
  other_work: { max: 5000 },
};

export const DECLARATIONS = ['independent_legal_person', 'good_credit', 'no_criminal_record',
  'no_security_incident', 'accepts_supervision', 'contact_7x24', 'confidentiality'];

// Field specs; options come from the reference lists (filled in by the caller).
export function specs(ref = {}) {
  const provinces = (ref.provinces || []).map((p) => ({ value: p.name, label: p.name }));
  return {
    basic: [
      { k: 'name', label: t('unit.name'), required: true, wide: true },
      { k: 'credit_code', label: t('unit.credit_code'), required: true, mono: true, max: 18 },
      { k: 'registered_capital', type: 'int', label: t('unit.registered_capital'), required: true },
      { k: 'legal_representative', label: t('unit.legal_representative'), required: true },
      { k: 'founded_on', type: 'date', label: t('unit.founded_on'), required: true },
      { k: 'business_term', label: t('unit.business_term') },
      { k: 'registration_authority', label: t('unit.registration_authority'), required: true },
      { k: 'province', type: 'select', label: t('unit.province'), required: true, options: provinces },
      { k: 'city', label: t('unit.city') },
      { k: 'address', label: t('unit.address'), required: true, wide: true },
      { k: 'business_scope', type: 'textarea', label: t('unit.business_scope'), required: true, full: true, rows: 3 },
    ],
    contacts: [
      { k: 'role', type: 'select', label: t('contact.role'), required: true,
        options: (ref.roles || []).map((r) => ({ value: r.code, label: t(`contactRole.${r.code}`) })) },
      { k: 'name', label: t('contact.name') },
      { k: 'dept_title', label: t('contact.dept_title') },
      { k: 'mobile', label: t('contact.mobile'), mono: true },
      { k: 'office_phone', label: t('contact.office_phone'), mono: true },
      { k: 'email', label: t('contact.email') },
    ],
    offices: [
      { k: 'name', label: t('office.name') },
      { k: 'is_headquarters', type: 'check', label: t('office.is_headquarters'), checkLabel: t('common.yes') },
      { k: 'province', type: 'select', label: t('office.province'), options: provinces },
      { k: 'city', label: t('office.city') },
      { k: 'address', label: t('office.address'), wide: true },
      { k: 'floor_area_m2', type: 'int', label: t('office.floor_area_m2') },
      { k: 'tenure', type: 'select', label: t('office.tenure'),
        options: [{ value: 'owned', label: t('office.tenure.owned') }, { value: 'rented', label: t('office.tenure.rented') }] },
      { k: 'staff_count', type: 'int', label: t('office.staff_count') },
      { k: 'security_lead', label: t('office.security_lead') },
      { k: 'phone', label: t('office.phone'), mono: true },
    ],
    staff: [
      { k: 'name', label: t('staff.name'), required: true },
      { k: 'department', label: t('staff.department') },
      { k: 'post', label: t('staff.post') },
      { k: 'title', label: t('staff.title') },
      { k: 'education', label: t('staff.education') },
      { k: 'school', label: t('staff.school') },
      { k: 'major', label: t('staff.major') },
      { k: 'years_in_field', type: 'int', label: t('staff.years_in_field') },
      { k: 'in_province', type: 'check', label: t('staff.in_province'), checkLabel: t('common.yes') },
      { k: 'certificates', type: 'list', label: t('staff.certificates'), wide: true, hint: t('staff.certificatesHint') },
    ],
    capabilities: [
      { k: 'field', type: 'select', label: t('cap.field'), required: true,
        options: (ref.fields || []).map((f) => ({ value: f.code, label: getLang() === 'en' ? f.name_en || f.name_zh : f.name_zh })) },
      { k: 'description', label: t('cap.description'), wide: true },
    ],
    finances: [
      { k: 'year', type: 'int', plain: true, label: t('fin.year'), required: true },
      { k: 'total_assets', type: 'int', label: t('fin.total_assets') },
      { k: 'revenue', type: 'int', label: t('fin.revenue'), required: true },
      { k: 'expenses', type: 'int', label: t('fin.expenses'), required: true },
      { k: 'liabilities', type: 'int', label: t('fin.liabilities'), required: true },
    ],
    qualifications: [
      { k: 'name', label: t('qual.name'), required: true, wide: true },
      { k: 'issuer', label: t('qual.issuer') },
      { k: 'level', label: t('qual.level') },
      { k: 'number', label: t('qual.number'), mono: true },
      { k: 'valid_until', type: 'date', label: t('qual.valid_until') },
    ],
    projects: [
      { k: 'name', label: t('proj.name'), required: true, wide: true },
      { k: 'client', label: t('proj.client') },
      { k: 'category', label: t('proj.category') },
      { k: 'contract_amount', type: 'int', label: t('proj.contract_amount') },
      { k: 'emergency_amount', type: 'int', label: t('proj.emergency_amount') },
      { k: 'signed_on', type: 'date', label: t('proj.signed_on') },
      { k: 'accepted_on', type: 'date', label: t('proj.accepted_on') },
      { k: 'content', type: 'textarea', label: t('proj.content'), full: true, max: 2000, rows: 2 },
    ],
    typical_cases: [
      { k: 'title', label: t('case.title'), required: true, wide: true },
      { k: 'text', type: 'textarea', label: t('case.text'), required: true, full: true, max: 800, rows: 4 },
    ],
    major_event_case: [
      { k: 'title', label: t('case.title'), required: true, wide: true },
      { k: 'text', type: 'textarea', label: t('case.text'), required: true, full: true, max: 800, rows: 6 },
    ],
  };
}

const PROFILE_LISTS = ['contacts', 'offices', 'staff', 'capabilities'];
const ROW_SECTIONS = ['finances', 'qualifications', 'projects', 'typical_cases'];

// The form state of a content document.
export function formFromContent(content, sp) {
  const c = content || {};
  const p = c.profile || {};
  const basic = {};
  for (const s of sp.basic) basic[s.k] = formValue(s, p[s.k]);
  const form = { profile: { basic } };
  for (const k of PROFILE_LISTS) form.profile[k] = (p[k] || []).map((r) => formRow(sp[k], r));
  form.security_since = c.security_since || '';
  for (const k of ROW_SECTIONS) form[k] = (c[k] || []).map((r) => formRow(sp[k], r));
  for (const k of Object.keys(TEXT_SECTIONS)) form[k] = c[k] || '';
  const m = c.major_event_case || {};
  form.major_event_case = { title: m.title || '', text: m.text || '' };
  const d = c.declarations || {};
  form.declarations = Object.fromEntries(DECLARATIONS.map((k) => [k, !!d[k]]));
  return form;
}

const orNull = (v) => (v === undefined ? null : v);

// The JSON a top-level key is saved as (throws FormError for what the browser can tell).
export function jsonFor(key, form, sp) {
  const f = form[key];
  if (key === 'profile') {
    const out = {};
    for (const s of sp.basic) out[s.k] = orNull(jsonValue(s, f.basic[s.k], `profile.${s.k}`));
    for (const k of PROFILE_LISTS) out[k] = f[k].map((r, i) => rowJson(sp[k], r, `profile.${k}[${i}]`));
    return out;
  }
  if (ROW_SECTIONS.includes(key)) return f.map((r, i) => rowJson(sp[key], r, `${key}[${i}]`));
  if (key === 'major_event_case') {
    return { title: orNull(jsonValue({}, f.title)), text: orNull(jsonValue({}, f.text)) };
  }
  if (key === 'declarations') return { ...f };
  return orNull(jsonValue({}, f)); // security_since and the text sections
}

// The section a field path belongs to: "profile.contacts[1].email" -> "profile".
export function sectionOf(path) {
  if (!path) return null;
  const top = path.split(/[.[]/)[0];
  return SECTIONS.includes(top) ? top : null;
}

const filled = (v) => typeof v === 'string' && v.trim() !== '';

// What submission will ask for, as far as the browser can tell; the server's
// check at submission is the one that counts.
export function checklist(form, attachments, kinds) {
  const items = [];
  const add = (id, section, ok, label) => items.push({ id, section, ok: !!ok, label });
  const b = form.profile.basic;
  add('basic', 'profile', ['name', 'credit_code', 'registered_capital', 'legal_representative', 'founded_on',
    'business_scope', 'registration_authority', 'province', 'address'].every((k) => filled(b[k])), t('check.list.basic'));
  const roles = form.profile.contacts.map((c) => c.role);
  add('contacts', 'profile', roles.includes('emergency_lead') && roles.includes('interface'), t('check.list.contacts'));
  add('staff', 'profile', form.profile.staff.length > 0, t('check.list.staff'));
  add('capabilities', 'profile', form.profile.capabilities.length > 0, t('check.list.capabilities'));
  add('security_since', 'security_since', filled(form.security_since), t('sec.security_since'));
  add('finances', 'finances', form.finances.filter((y) => filled(y.revenue) && filled(y.expenses) && filled(y.liabilities)).length >= 3,
    t('check.list.finances'));
  for (const k of ['organisation', 'main_business', 'management_systems', 'support_plan']) add(k, k, filled(form[k]), t(`sec.${k}`));
  const cases = form.typical_cases.filter((c) => filled(c.title) && filled(c.text)).length;
  add('typical_cases', 'typical_cases', cases >= 3 && form.typical_cases.length <= 5, t('check.list.typical_cases', { n: cases }));
  add('major_event_case', 'major_event_case', filled(form.major_event_case.title) && filled(form.major_event_case.text), t('sec.major_event_case'));
  add('declarations', 'declarations', DECLARATIONS.every((k) => form.declarations[k]), t('check.list.declarations'));
  for (const k of kinds || []) {
    if (!k.min_at_submission) continue;
    const have = (attachments || []).filter((a) => a.kind === k.code).length;
    add(`attachments.${k.code}`, 'attachments', have >= k.min_at_submission,
      t('check.list.attachment', { name: kindName(k), need: k.min_at_submission, have }));
  }
  return items;
}

// An attachment kind's name from the reference list item (or the code).
export function kindName(k) {
  if (!k) return '';
  return (getLang() === 'en' ? k.name_en : k.name_zh) || k.code;
}

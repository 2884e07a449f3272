// components/names.js - localized names for codes from the reference lists.
import { t, has, getLang } from '../i18n.js';

// Capability code -> name, from GET /api/v1/reference/capability-fields items.
export function capabilityName(fields, code) {
  const f = fields && fields.find((x) => x.code === code);
  if (!f) return code;
  return getLang() === 'en' ? f.name_en || f.name_zh : f.name_zh;
}

// Contact role code -> name (the reference list gives Chinese only).
export function contactRoleName(code, refItem) {
  if (has(`contactRole.${code}`)) return t(`contactRole.${code}`);
  return (refItem && refItem.name_zh) || code;
}

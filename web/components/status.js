// components/status.js - coloured badges for the codes of the selection and the
// certificates: campaign stages, application status and outcome, eligibility,
// background review, certificate status, objections, grades. The text is always
// the localized name; the code is kept in data-code for tests and styling.
import { html } from '../vendor/standalone.module.js';
import { t, has } from '../i18n.js';

// badge colour class per family and code
const TONE = {
  stage: { draft: 'muted', open: 'ok', review: 'info', notice: 'warn', published: 'accent', closed: 'muted' },
  status: { draft: 'muted', submitted: 'ok', returned: 'warn', withdrawn: 'muted' },
  outcome: { pending: 'muted', proposed: 'info', selected: 'ok', not_selected: 'muted', cancelled: 'error' },
  elig: { pending: 'muted', eligible: 'ok', ineligible: 'error' },
  security: { pending: 'muted', pass: 'ok', fail: 'error' },
  cert: { valid: 'ok', suspended: 'warn', cancelled: 'muted', revoked: 'error', expired: 'muted' },
  objection: { received: 'warn', investigating: 'info', upheld: 'error', rejected: 'ok' },
  grade: { excellent: 'ok', qualified: 'info', unqualified: 'error' },
  panel: { open: 'info', closed: 'muted' },
  requal: { open: 'warn', closed: 'muted' },
};

// The localized name of a code: codeName('stage', 'open') -> "申报".
export function codeName(family, code) {
  if (code === null || code === undefined || code === '') return t('common.none');
  const key = `${family}.${code}`;
  return has(key) ? t(key) : String(code);
}

export function Badge({ family, code, id }) {
  const tone = (TONE[family] && TONE[family][code]) || 'muted';
  return html`<span class=${`badge badge-${tone}`} data-code=${code} id=${id}>${codeName(family, code)}</span>`;
}

// The order of a campaign's stages.
export const STAGES = ['draft', 'open', 'review', 'notice', 'published', 'closed'];

export function nextStage(stage) {
  const i = STAGES.indexOf(stage);
  return i >= 0 && i + 1 < STAGES.length ? STAGES[i + 1] : null;
}

// An eligibility criterion's name (docs/api-selection.md table).
export function criterionName(code) {
  return has(`check.${code}`) ? t(`check.${code}`) : code;
}

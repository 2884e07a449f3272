// components/ui.js - small shared pieces: error boxes, form fields, dialogs, tabs.
import { html, useEffect, useRef } from '../vendor/standalone.module.js';
import { t, has, localizeMessage } from '../i18n.js';

// The localized headline for an ApiError (or any error).
export function errorTitle(err) {
  if (!err) return '';
  const key = `err.${err.code}`;
  return has(key) ? t(key) : t('err.unknown');
}

// A red box: localized message by code, the server's own message in small text.
export function ErrorBox({ error, title, children }) {
  if (!error && !title) return null;
  const detail = error && error.message && error.message !== error.code ? error.message : '';
  // The server's reason in the user's language when it is one we know.
  const local = detail ? localizeMessage(detail) : '';
  return html`<div class="alert alert-error" role="alert">
    <div class="alert-title">${title || errorTitle(error)}</div>
    ${local && local !== detail ? html`<div class="alert-reason">${local}</div>` : null}
    ${error && error.retryAfter
      ? html`<div>${t('err.retryAfter', { s: error.retryAfter })}</div>`
      : null}
    ${detail ? html`<div class="alert-detail">${t('common.serverSays')}${detail}</div>` : null}
    ${children}
  </div>`;
}

export function Notice({ kind = 'info', children }) {
  return html`<div class=${`alert alert-${kind}`} role="status">${children}</div>`;
}

export function Loading() {
  return html`<div class="loading">${t('common.loading')}</div>`;
}

// The message to show next to the field at path, or ''.
// err is an ApiError-like {field, message}; prefix: also match deeper paths
// (e.g. "staff[0].certificates" matches "staff[0].certificates[2]").
export function fieldMessage(err, path, prefix = false) {
  if (!err || !err.field) return '';
  if (err.field === path || (prefix && err.field.startsWith(`${path}[`))) {
    return localizeMessage(err.message);
  }
  return '';
}

// One labelled form control with its error message underneath.
// Children must be the control; id links the label to it.
export function Field({ label, id, error, required, hint, wide, full, children }) {
  const cls = ['field', wide ? 'field-wide' : '', full ? 'field-full' : '', error ? 'has-error' : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class=${cls}>
    <label for=${id}>${label}${required ? html`<span class="req" aria-hidden="true"> *</span>` : null}</label>
    ${children}
    ${hint && !error ? html`<div class="hint">${hint}</div>` : null}
    ${error ? html`<div class="field-error" role="alert" data-error-for=${id}>${error}</div>` : null}
  </div>`;
}

// A modal dialog; Escape or the backdrop closes it.
export function Modal({ title, onClose, children, footer }) {
  const ref = useRef(null);
  useEffect(() => {
    const onKey = (e) => {
      if (e.key === 'Escape' && onClose) onClose();
    };
    document.addEventListener('keydown', onKey);
    const first = ref.current && ref.current.querySelector(
      'input:not([tabindex="-1"]), select, textarea, .modal-foot .btn-primary, .modal-foot button');
    if (first) first.focus();
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  const onBackdrop = (e) => {
    if (e.target === e.currentTarget && onClose) onClose();
  };
  return html`<div class="modal-backdrop" onClick=${onBackdrop}>
    <div class="modal" role="dialog" aria-modal="true" aria-label=${title} ref=${ref}>
      <div class="modal-head">
        <h3>${title}</h3>
        <button type="button" class="btn-icon" aria-label=${t('common.close')} onClick=${onClose}>×</button>
      </div>
      <div class="modal-body">${children}</div>
      ${footer ? html`<div class="modal-foot">${footer}</div>` : null}
    </div>
  </div>`;
}

export function ConfirmDialog({ title, message, confirmLabel, danger, busy, error, onConfirm, onCancel }) {
  return html`<${Modal}
    title=${title}
    onClose=${onCancel}
    footer=${html`
      <button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
      <button type="button" class=${danger ? 'btn btn-danger' : 'btn btn-primary'} disabled=${busy}
        onClick=${onConfirm}>${confirmLabel || t('common.confirm')}</button>`}
  >
    <p>${message}</p>
    <${ErrorBox} error=${error} />
  </${Modal}>`;
}

export function Tabs({ tabs, active, onSelect }) {
  return html`<div class="tabs" role="tablist">
    ${tabs.map(
      (tab) => html`<button type="button" role="tab" key=${tab.id} id=${`tab-${tab.id}`}
        class=${tab.id === active ? 'tab active' : 'tab'} aria-selected=${tab.id === active ? 'true' : 'false'}
        onClick=${() => onSelect(tab.id)}>${tab.label}${tab.badge ? html`<span class="tab-badge">${tab.badge}</span>` : null}</button>`,
    )}
  </div>`;
}

// A definition list for read-only records: items = [[label, value], ...].
export function InfoGrid({ items }) {
  return html`<dl class="info-grid">
    ${items.map(
      ([label, value, wide]) => html`<div class=${wide ? 'info-item info-wide' : 'info-item'}>
        <dt>${label}</dt>
        <dd>${value === null || value === undefined || value === '' ? html`<span class="muted">${t('common.none')}</span>` : value}</dd>
      </div>`,
    )}
  </dl>`;
}

export function EmptyRow({ cols, text }) {
  return html`<tr class="empty-row"><td colspan=${cols}>${text || t('common.noData')}</td></tr>`;
}

export function RoleBadge({ role }) {
  return html`<span class=${`badge role-${role}`}>${has(`role.${role}`) ? t(`role.${role}`) : role}</span>`;
}

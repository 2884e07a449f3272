// components/attachments.js - an application's attachments by kind: the files
// (download links), the count each kind needs at submission, and for the unit
// while the application is a draft or returned: upload (the raw File as the
// request body with ?kind=&filename=) and delete.
import { html, useState } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { fmtTime, fmtBytes } from '../format.js';
import { ErrorBox, ConfirmDialog } from './ui.js';
import { kindName } from '../pages/appmodel.js';

export const MAX_UPLOAD = 20 * 1024 * 1024;
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.ofd';

export function downloadHref(a) {
  return `/api/v1/attachments/${a.id}/content`;
}

function KindBlock({ kind, files, applicationId, editable, onAdded, onRemove }) {
  const [busy, setBusy] = useState(0);
  const [error, setError] = useState(null);
  const need = kind.min_at_submission || 0;
  const ok = files.length >= need;
  const upload = async (e) => {
    const list = Array.from(e.target.files || []);
    e.target.value = '';
    setError(null);
    for (const file of list) {
      if (file.size > MAX_UPLOAD) {
        setError({ code: 'too_large', message: '', title: t('attach.tooLarge', { name: file.name }) });
        continue;
      }
      if (file.size === 0) {
        setError({ code: 'invalid', message: '', title: t('attach.empty', { name: file.name }) });
        continue;
      }
      setBusy((n) => n + 1);
      try {
        const r = await api.upload(`/api/v1/applications/${applicationId}/attachments`, file,
          { kind: kind.code, filename: file.name });
        onAdded(r.data);
      } catch (err) {
        setError({ ...err, code: err.code, message: err.message, title: t('attach.failed', { name: file.name }) });
      } finally {
        setBusy((n) => n - 1);
      }
    }
  };
  const inputId = `upload-${kind.code}`;
  return html`<div class=${`attach-kind ${need ? (ok ? 'attach-ok' : 'attach-missing') : ''}`} data-kind=${kind.code}
      data-count=${files.length} id=${`attach-${kind.code}`}>
    <div class="attach-kind-head">
      <span class="attach-kind-name">${kindName(kind)}</span>
      ${need ? html`<span class=${ok ? 'badge badge-ok' : 'badge badge-warn'}>${ok ? '✓ ' : ''}${t('attach.need', { have: files.length, need })}</span>`
        : html`<span class="badge badge-muted">${t('attach.optional')}${files.length ? ` · ${files.length}` : ''}</span>`}
      ${editable ? html`<label class="btn btn-small attach-upload" for=${inputId}>${busy ? t('attach.uploading') : `＋ ${t('attach.upload')}`}</label>
        <input class="visually-hidden" type="file" id=${inputId} multiple accept=${ACCEPT}
          aria-label=${`${t('attach.upload')} ${kindName(kind)}`} onChange=${upload} />` : null}
    </div>
    ${files.length ? html`<ul class="attach-files">
      ${files.map((a) => html`<li key=${a.id} data-attachment-id=${a.id}>
        <a href=${downloadHref(a)} download class="attach-name">${a.filename}</a>
        <span class="muted small">${fmtBytes(a.size)} · ${a.media_type} · ${fmtTime(a.uploaded_at)}</span>
        <span class="mono muted small" title=${a.sha256}>SHA-256 ${a.sha256.slice(0, 12)}…</span>
        ${editable ? html`<button type="button" class="btn-icon btn-remove" aria-label=${`${t('common.delete')} ${a.filename}`}
          title=${t('common.delete')} onClick=${() => onRemove(a)}>×</button>` : null}
      </li>`)}
    </ul>` : null}
    ${error ? html`<${ErrorBox} error=${error.message ? error : null} title=${error.title} />` : null}
  </div>`;
}

// attachments: the live list; kinds: GET /api/v1/reference/attachment-kinds items.
export function Attachments({ applicationId, kinds, attachments, editable, onChange }) {
  const [removing, setRemoving] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.del(`/api/v1/attachments/${removing.id}`);
      onChange((prev) => prev.filter((a) => a.id !== removing.id));
      setRemoving(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  // Required kinds first, in the reference list's order.
  const ordered = kinds.filter((k) => k.min_at_submission).concat(kinds.filter((k) => !k.min_at_submission));
  const known = new Set(kinds.map((k) => k.code));
  const stray = attachments.filter((a) => !known.has(a.kind));
  return html`<div class="attachments" id="attachments">
    ${editable ? html`<p class="hint">${t('attach.hint')}</p>` : null}
    ${ordered.map((k) => html`<${KindBlock} key=${k.code} kind=${k} applicationId=${applicationId} editable=${editable}
      files=${attachments.filter((a) => a.kind === k.code)}
      onAdded=${(a) => onChange((prev) => prev.concat([a]))} onRemove=${setRemoving} />`)}
    ${stray.length ? html`<${KindBlock} kind=${{ code: 'unlisted', name_zh: t('attach.otherKinds'), name_en: t('attach.otherKinds') }}
      files=${stray} applicationId=${applicationId} editable=${false} />` : null}
    ${removing ? html`<${ConfirmDialog} title=${t('attach.deleteTitle')} message=${t('attach.deleteConfirm', { name: removing.filename })}
      confirmLabel=${t('common.delete')} danger=${true} busy=${busy} error=${error} onConfirm=${remove}
      onCancel=${() => setRemoving(null)} />` : null}
  </div>`;
}

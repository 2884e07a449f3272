// pages/incevidence.js - an incident's evidence: the chain of custody (each file's
// SHA-256, who added it and when, each entry's hash covering the one before) with
// its verification result, downloads, and the upload of a new file with a note.
// Uses GET/POST /api/v1/incidents/{id}/evidence; where the server does not offer
// those routes (404) the entries the incident itself carries are shown read-only.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime, fmtBytes } from '../format.js';
import { ErrorBox, EmptyRow, Loading } from '../components/ui.js';
import { toIso } from './incmodel.js';

const MAX_UPLOAD = 20 * 1024 * 1024;
const ACCEPT = '.pdf,.png,.jpg,.jpeg,.docx,.xlsx,.ofd';

function ChainStatus({ ok }) {
  if (ok === null || ok === undefined) return null;
  return ok
    ? html`<span class="badge badge-ok" id="evidence-chain" data-chain="ok">✓ ${t('evid.chainOk')}</span>`
    : html`<span class="badge badge-error" id="evidence-chain" data-chain="broken">✗ ${t('evid.chainBroken')}</span>`;
}

export function EvidencePanel({ inc, user }) {
  const [items, setItems] = useState(null);
  const [chainOk, setChainOk] = useState(null);
  const [routes, setRoutes] = useState(true); // the evidence routes exist
  const [error, setError] = useState(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const load = () => api.get(`/api/v1/incidents/${inc.id}/evidence`, { limit: 200 }).then((r) => {
    setItems(r.data.items || []);
    setChainOk(r.data.chain_ok);
    setRoutes(true);
  }, (e) => {
    if (e.status === 404) {
      setRoutes(false);
      setItems(inc.evidence || []);
    } else {
      setError(e);
    }
  });
  useEffect(() => { load(); }, [inc.id]);

  const upload = async (e) => {
    const files = Array.from(e.target.files || []);
    e.target.value = '';
    setError(null);
    for (const file of files) {
      if (file.size === 0 || file.size > MAX_UPLOAD) {
        setError({ code: 'invalid', message: '', title: t(file.size ? 'evid.tooLarge' : 'evid.empty_file', { name: file.name }) });
        continue;
      }
      setBusy(true);
      try {
        await api.upload(`/api/v1/incidents/${inc.id}/evidence`, file,
          { filename: file.name, note: note.trim() || undefined });
        setNote('');
      } catch (err) {
        setError({ ...err, code: err.code, message: err.message, title: t('evid.failed', { name: file.name }) });
      } finally {
        setBusy(false);
      }
    }
    load();
  };
  const mayAdd = routes && can.addEvidence(user) && !inc.merged_into && inc.status !== 'closed';
  return html`<section class="panel" id="evidence-panel">
    <div class="section-head">
      <h3>${t('evid.title')}<span class="count">${items ? items.length : ''}</span></h3>
      <${ChainStatus} ok=${chainOk} />
    </div>
    <p class="hint">${t('evid.hint')}</p>
    ${mayAdd ? html`<div class="evidence-upload">
      <input id="evidence-note" class="evidence-note" placeholder=${t('evid.notePlaceholder')} maxlength="1000"
        value=${note} onInput=${(e) => setNote(e.target.value)} />
      <label class="btn btn-primary" for="evidence-file">${busy ? t('attach.uploading') : `＋ ${t('evid.upload')}`}</label>
      <input class="visually-hidden" type="file" id="evidence-file" multiple accept=${ACCEPT} aria-label=${t('evid.upload')} onChange=${upload} />
    </div>` : null}
    ${error ? html`<${ErrorBox} error=${error.title ? (error.message ? error : null) : error} title=${error.title} />` : null}
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<div class="table-wrap"><table class="table" id="evidence-table">
      <thead><tr><th>#</th><th>${t('evid.file')}</th><th>${t('evid.note')}</th><th>SHA-256</th>
        <th>${t('evid.added_by')}</th><th>${t('evid.added_at')}</th><th>${t('evid.entry_hash')}</th></tr></thead>
      <tbody>
        ${items.map((v) => html`<tr key=${v.seq} data-seq=${v.seq}>
          <td class="mono">${v.seq}</td>
          <td>${routes ? html`<a href=${`/api/v1/incidents/${inc.id}/evidence/${v.seq}/content`} download class="attach-name">${v.filename}</a>`
            : html`<span class="attach-name">${v.filename}</span>`}
            <div class="muted small">${v.media_type} · ${fmtBytes(v.size)}</div></td>
          <td class="pre">${v.note || ''}</td>
          <td class="mono sha" title=${v.sha256}>${v.sha256}</td>
          <td>${v.added_by_name || v.added_by}</td>
          <td class="nowrap">${fmtTime(toIso(v.added_at))}</td>
          <td class="mono small" title=${`${t('evid.prev_hash')}: ${v.prev_hash}`}>${(v.entry_hash || '').slice(0, 16)}…</td>
        </tr>`)}
        ${items.length === 0 ? html`<${EmptyRow} cols=${7} text=${t('evid.empty')} />` : null}
      </tbody>
    </table></div>` : null}
  </section>`;
}

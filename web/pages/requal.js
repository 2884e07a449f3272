// pages/requal.js - change reports and re-qualification tasks (DOMAIN.md §3): a
// unit reports a change of ownership or of its legal representative, which opens
// a task; the authority reviews it (it may suspend the certificate meanwhile)
// and records its decision, interim or closing.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { navigate } from '../router.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow, InfoGrid, Modal, Field, fieldMessage, Notice } from '../components/ui.js';
import { Badge } from '../components/status.js';

const unitCache = new Map();
// A unit's name (fetched once per page life).
export function unitName(id) {
  if (!unitCache.has(id)) {
    const p = api.get(`/api/v1/units/${id}`).then((r) => r.data.name, () => `#${id}`);
    unitCache.set(id, p);
  }
  return unitCache.get(id);
}

function UnitName({ id }) {
  const [name, setName] = useState(`#${id}`);
  useEffect(() => {
    unitName(id).then(setName);
  }, [id]);
  return html`<a href=${`#/units/${id}`}>${name}</a>`;
}

export function ChangeReportButton({ user, unitId, onDone }) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState('ownership');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  if (!can.reportChange(user, unitId)) return null;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await api.post(`/api/v1/units/${unitId}/change-reports`, { kind, description: description.trim() });
      setOpen(false);
      if (onDone) onDone(r.data);
      navigate(`#/requalification/${r.data.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<span>
    <button type="button" class="btn" id="report-change" onClick=${() => { setError(null); setOpen(true); }}>${t('requal.report')}</button>
    ${open ? html`<${Modal} title=${t('requal.report')} onClose=${() => setOpen(false)}
        footer=${html`<button type="button" class="btn" onClick=${() => setOpen(false)}>${t('common.cancel')}</button>
          <button type="button" class="btn btn-primary" id="report-save" disabled=${busy} onClick=${save}>${t('requal.send')}</button>`}>
        <p>${t('requal.reportExplain')}</p>
        <div class="radio-group" role="radiogroup" aria-label=${t('requal.kind')}>
          ${['ownership', 'legal_representative'].map((k) => html`<label class="radio" key=${k}>
            <input type="radio" name="kind" id=${`kind-${k}`} checked=${kind === k} onChange=${() => setKind(k)} />
            <span>${t(`requal.kind.${k}`)}</span></label>`)}
        </div>
        ${fieldMessage(error, 'kind') ? html`<div class="field-error">${fieldMessage(error, 'kind')}</div>` : null}
        <${Field} id="f-description" label=${t('requal.description')} required=${true} error=${fieldMessage(error, 'description')}
            hint=${t('requal.descriptionHint')}>
          <textarea id="f-description" rows="5" maxlength="2000" value=${description} onInput=${(e) => setDescription(e.target.value)}></textarea>
        </${Field}>
        ${error && !['kind', 'description'].includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
      </${Modal}>` : null}
  </span>`;
}

export function RequalList({ unitId, status }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setItems(null);
    api.getAll('/api/v1/requalification-tasks', { unit_id: unitId, status }).then(setItems, setError);
  }, [unitId, status]);
  return html`<div>
    <${ErrorBox} error=${error} />
    <div class="table-wrap"><table class="table" id="requal-table">
      <thead><tr><th>${t('requal.reported_at')}</th><th>${t('requal.unit')}</th><th>${t('requal.kind')}</th>
        <th>${t('requal.description')}</th><th>${t('requal.certificate')}</th><th>${t('requal.status')}</th></tr></thead>
      <tbody>
        ${(items || []).map((x) => html`<tr key=${x.id} data-task-id=${x.id}>
          <td class="nowrap"><a href=${`#/requalification/${x.id}`}>${fmtTime(x.reported_at)}</a></td>
          <td><${UnitName} id=${x.unit_id} /></td>
          <td>${t(`requal.kind.${x.kind}`)}</td>
          <td class="pre clamp">${x.description}</td>
          <td>${x.certificate_id ? html`<a href=${`#/certificates/${x.certificate_id}`}>#${x.certificate_id}</a>` : html`<span class="muted">${t('requal.noCert')}</span>`}</td>
          <td><${Badge} family="requal" code=${x.status} /></td>
        </tr>`)}
        ${items && items.length === 0 ? html`<${EmptyRow} cols=${6} text=${t('requal.empty')} />` : null}
      </tbody>
    </table></div>
    ${!items && !error ? html`<${Loading} />` : null}
  </div>`;
}

export function RequalsPage({ user }) {
  const [status, setStatus] = useState('open');
  return html`<div class="page" id="requals-page">
    <div class="page-head"><div><h2>${t('requal.title')}</h2><div class="subhead">${t('requal.subtitle')}</div></div></div>
    <div class="filters">
      <label class="filter-item"><span>${t('requal.status')}</span>
        <select id="requal-status" value=${status} onChange=${(e) => setStatus(e.target.value)}>
          <option value="">${t('common.all')}</option>
          <option value="open">${t('requal.open')}</option>
          <option value="closed">${t('requal.closed')}</option>
        </select></label>
    </div>
    <${RequalList} user=${user} status=${status} />
  </div>`;
}

export function RequalPage({ user, id }) {
  const [task, setTask] = useState(null);
  const [error, setError] = useState(null);
  const [decision, setDecision] = useState('');
  const [close, setClose] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState(null);
  const [saved, setSaved] = useState(false);
  const load = () => api.get(`/api/v1/requalification-tasks/${id}`).then((r) => {
    setTask(r.data);
    setDecision(r.data.decision || '');
  }, setError);
  useEffect(() => {
    load();
  }, [id]);
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setSaveError(null);
    setSaved(false);
    try {
      const r = await api.post(`/api/v1/requalification-tasks/${id}/decision`, { decision: decision.trim(), close });
      setTask(r.data);
      setSaved(true);
    } catch (err) {
      setSaveError(err);
    } finally {
      setBusy(false);
    }
  };
  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  if (!task) return html`<div class="page"><${Loading} /></div>`;
  return html`<div class="page" id="requal-page" data-task-id=${task.id} data-status=${task.status}>
    <div class="page-head"><div>
      <div class="crumbs"><a href=${user.role === 'unit' ? '#/certificates' : '#/requalification'}>${user.role === 'unit' ? t('nav.myCertificates') : t('nav.requal')}</a> / #${task.id}</div>
      <h2>${t('requal.taskTitle', { kind: t(`requal.kind.${task.kind}`) })}</h2>
      <div class="subhead"><${Badge} family="requal" code=${task.status} id="requal-status-badge" /><${UnitName} id=${task.unit_id} /></div>
    </div></div>
    <section class="panel">
      <${InfoGrid} items=${[
        [t('requal.unit'), html`<${UnitName} id=${task.unit_id} />`],
        [t('requal.kind'), t(`requal.kind.${task.kind}`)],
        [t('requal.reported_at'), fmtTime(task.reported_at)],
        [t('requal.certificate'), task.certificate_id ? html`<a href=${`#/certificates/${task.certificate_id}`}>#${task.certificate_id}</a>` : t('requal.noCert')],
        [t('requal.description'), html`<div class="pre">${task.description}</div>`, true],
        [t('requal.decision'), task.decision ? html`<div class="pre" id="requal-decision">${task.decision}</div>` : '', true],
        [t('requal.closed_at'), fmtTime(task.closed_at)],
      ]} />
      ${can.decideRequal(user) && task.certificate_id && task.status === 'open'
        ? html`<p class="hint">${t('requal.suspendHint')} <a href=${`#/certificates/${task.certificate_id}`}>${t('requal.toCertificate')}</a></p>` : null}
    </section>
    ${can.decideRequal(user) && task.status === 'open' ? html`<form class="panel" id="requal-form" onSubmit=${save} novalidate>
      <h3>${t('requal.decide')}</h3>
      ${saved ? html`<${Notice} kind="ok"><span id="requal-saved">${t('requal.saved')}</span></${Notice}>` : null}
      <${Field} id="f-decision" label=${t('requal.decision')} required=${true} error=${fieldMessage(saveError, 'decision')}>
        <textarea id="f-decision" rows="5" maxlength="2000" value=${decision} onInput=${(e) => setDecision(e.target.value)}></textarea>
      </${Field}>
      <label class="check-row"><input type="checkbox" id="f-close" checked=${close} onChange=${(e) => setClose(e.target.checked)} />
        <span>${t('requal.closeTask')}</span></label>
      ${saveError && saveError.field !== 'decision' ? html`<${ErrorBox} error=${saveError} />` : null}
      <div class="form-actions-inline"><button type="submit" class="btn btn-primary" id="requal-save" disabled=${busy}>${t('requal.record')}</button></div>
    </form>` : null}
    ${saved && task.status === 'closed' ? html`<${Notice} kind="ok">${t('requal.closedNow')}</${Notice}>` : null}
  </div>`;
}

// pages/unitrecord.js - a unit's record for the selection's carry-over rules:
// evaluation grades (优秀 enters the next term directly, 不合格 may not apply)
// and bans (e.g. three years after revocation for misusing the authority's
// name). The authority records grades.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { todayCst } from '../format.js';
import { ErrorBox, Loading, EmptyRow, Field, fieldMessage, Notice } from '../components/ui.js';
import { Badge } from '../components/status.js';
import { causeName } from './certificates.js';

function GradeForm({ unitId, onDone }) {
  const [f, setF] = useState({ period: '', grade: '', graded_on: todayCst(), note: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { period: f.period.trim(), grade: f.grade, graded_on: f.graded_on };
      if (f.note.trim()) body.note = f.note.trim();
      await api.post(`/api/v1/units/${unitId}/grades`, body);
      setF({ period: '', grade: '', graded_on: todayCst(), note: '' });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  return html`<form class="grade-form" id="grade-form" onSubmit=${save} novalidate>
    <h4 class="subhead-h">${t('record.addGrade')}</h4>
    <div class="form-grid">
      <${Field} id="f-period" label=${t('record.period')} required=${true} error=${fieldMessage(error, 'period')} hint=${t('record.periodHint')}>
        <input id="f-period" value=${f.period} maxlength="50" onInput=${set('period')} /></${Field}>
      <${Field} id="f-grade" label=${t('record.grade')} required=${true} error=${fieldMessage(error, 'grade')}>
        <select id="f-grade" value=${f.grade} onChange=${set('grade')}>
          <option value="">${t('form.selectPlaceholder')}</option>
          ${['excellent', 'qualified', 'unqualified'].map((g) => html`<option key=${g} value=${g}>${t(`grade.${g}`)}</option>`)}
        </select></${Field}>
      <${Field} id="f-graded_on" label=${t('record.graded_on')} required=${true} error=${fieldMessage(error, 'graded_on')}>
        <input id="f-graded_on" type="date" max=${todayCst()} value=${f.graded_on} onInput=${set('graded_on')} /></${Field}>
      <${Field} id="f-grade-note" label=${t('record.note')} wide=${true} error=${fieldMessage(error, 'note')}>
        <input id="f-grade-note" value=${f.note} onInput=${set('note')} /></${Field}>
    </div>
    ${error && !['period', 'grade', 'graded_on', 'note'].includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
    <div class="form-actions-inline"><button type="submit" class="btn btn-primary" id="grade-save" disabled=${busy}>${t('record.save')}</button></div>
  </form>`;
}

export function UnitRecord({ user, unitId }) {
  const [record, setRecord] = useState(null);
  const [causes, setCauses] = useState([]);
  const [error, setError] = useState(null);
  const [saved, setSaved] = useState(false);
  const load = () => api.get(`/api/v1/units/${unitId}/record`).then((r) => setRecord(r.data), setError);
  useEffect(() => {
    load();
    api.reference('revocation-causes').then(setCauses, () => {});
  }, [unitId]);
  if (error) return html`<section class="panel"><${ErrorBox} error=${error} /></section>`;
  if (!record) return html`<section class="panel"><${Loading} /></section>`;
  const grades = record.grades.slice().sort((a, b) => (a.graded_on < b.graded_on ? 1 : -1));
  return html`<section class="panel" id="section-record">
    <p class="hint">${t('record.hint')}</p>
    <h4 class="subhead-h">${t('record.grades')}</h4>
    <div class="table-wrap"><table class="table" id="grades-table">
      <thead><tr><th>${t('record.period')}</th><th>${t('record.grade')}</th><th>${t('record.graded_on')}</th><th>${t('record.note')}</th></tr></thead>
      <tbody>
        ${grades.map((g, i) => html`<tr key=${g.id} data-grade=${g.grade}>
          <td>${g.period}${i === 0 ? html` <span class="badge badge-info">${t('record.latest')}</span>` : null}</td>
          <td><${Badge} family="grade" code=${g.grade} /></td><td>${g.graded_on}</td><td>${g.note || ''}</td>
        </tr>`)}
        ${grades.length === 0 ? html`<${EmptyRow} cols=${4} text=${t('record.noGrades')} />` : null}
      </tbody>
    </table></div>
    <h4 class="subhead-h">${t('record.bans')}</h4>
    <div class="table-wrap"><table class="table" id="bans-table">
      <thead><tr><th>${t('record.cause')}</th><th>${t('record.starts_on')}</th><th>${t('record.ends_on')}</th><th>${t('record.reason')}</th><th>${t('cert.number')}</th></tr></thead>
      <tbody>
        ${record.bans.map((b) => html`<tr key=${b.id}>
          <td>${causeName(causes, b.cause)}</td><td>${b.starts_on}</td><td>${b.ends_on}</td><td class="pre">${b.reason || ''}</td>
          <td>${b.certificate_id ? html`<a href=${`#/certificates/${b.certificate_id}`}>#${b.certificate_id}</a>` : ''}</td>
        </tr>`)}
        ${record.bans.length === 0 ? html`<${EmptyRow} cols=${5} text=${t('record.noBans')} />` : null}
      </tbody>
    </table></div>
    ${saved ? html`<${Notice} kind="ok"><span id="grade-saved">${t('record.saved')}</span></${Notice}>` : null}
    ${can.recordGrade(user) ? html`<${GradeForm} unitId=${unitId} onDone=${() => { setSaved(true); load(); }} />` : null}
  </section>`;
}

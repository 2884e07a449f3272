// pages/reference.js - the incident reference tables for the authority
// (#/reference/incidents): the four levels' dispatch deadlines, the GB/T 20986-2023
// class names, the grading thresholds and the upward reporting deadlines, each row
// edited in place. The server checks every value; a refused one is shown under its
// field, and nothing of that row is written.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { ErrorBox, Notice, Loading, fieldMessage } from '../components/ui.js';

// Drops the page-wide cache of a list after a save, passing the answer on.
const forget = (name) => (answer) => {
  api.referenceForget(name);
  return answer;
};

const yesNo = (v) => (v ? t('common.yes') : t('common.no'));

// What an edited cell sends: numbers as numbers, a cleared optional text as null.
function bodyOf(cols, draft) {
  const body = {};
  for (const c of cols) {
    if (!c.edit) continue;
    let v = draft[c.key];
    if (c.edit === 'number') v = v === '' || v === null || v === undefined ? null : Number(v);
    else if (c.edit === 'text') {
      v = (v ?? '').trim();
      if (v === '' && c.nullable) v = null;
    }
    body[c.key] = v;
  }
  return body;
}

function EditCell({ col, value, error, rowId, onChange }) {
  const id = `ref-${rowId}-${col.key}`;
  const msg = fieldMessage(error, col.key);
  let input;
  if (col.edit === 'bool') {
    input = html`<input type="checkbox" id=${id} aria-label=${col.label} checked=${!!value}
      onChange=${(e) => onChange(e.target.checked)} />`;
  } else if (col.edit === 'number') {
    input = html`<input type="number" id=${id} aria-label=${col.label}
      min=${col.min} max=${col.max} step="1" value=${value ?? ''} onInput=${(e) => onChange(e.target.value)} />`;
  } else {
    input = html`<input id=${id} aria-label=${col.label} maxlength="100" value=${value ?? ''}
      onInput=${(e) => onChange(e.target.value)} />`;
  }
  return html`<td class=${msg ? 'has-error' : ''}>${input}
    ${msg ? html`<div class="field-error" role="alert" data-error-for=${id}>${msg}</div>` : null}</td>`;
}

// One table. cols: [{key, label, edit?: 'text'|'number'|'bool', nullable, min, max,
// show?(row)}]; keyOf(row) names a row; save(row, body) sends the change.
function RefTable({ id, title, hint, cols, rows, keyOf, save, onSaved }) {
  const [editing, setEditing] = useState(null);
  const [draft, setDraft] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const start = (r) => {
    setEditing(keyOf(r));
    setDraft(Object.fromEntries(cols.filter((c) => c.edit).map((c) => [c.key, r[c.key]])));
    setError(null);
  };
  const submit = async (e, r) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await save(r, bodyOf(cols, draft));
      setEditing(null);
      onSaved();
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };
  const known = error && cols.some((c) => c.edit && c.key === error.field);
  const rowId = (r) => keyOf(r).replace(/[^A-Za-z0-9_-]/g, '_');
  const show = (c, r) => (c.show ? c.show(r) : typeof r[c.key] === 'boolean' ? yesNo(r[c.key]) : r[c.key] ?? '—');
  const row = (r) => {
    if (editing !== keyOf(r)) {
      return html`<tr key=${keyOf(r)} id=${`ref-row-${id}-${rowId(r)}`}>
        ${cols.map((c) => html`<td key=${c.key} class=${c.cls || ''}>${show(c, r)}</td>`)}
        <td><button type="button" class="btn btn-small" id=${`ref-edit-${id}-${rowId(r)}`}
          disabled=${editing !== null} onClick=${() => start(r)}>${t('common.edit')}</button></td>
      </tr>`;
    }
    return html`<tr key=${keyOf(r)} class="editing" id=${`ref-row-${id}-${rowId(r)}`}>
      ${cols.map((c) =>
        c.edit
          ? html`<${EditCell} key=${c.key} col=${c} value=${draft[c.key]} error=${error} rowId=${`${id}-${rowId(r)}`}
              onChange=${(v) => setDraft((d) => ({ ...d, [c.key]: v }))} />`
          : html`<td key=${c.key} class=${c.cls || ''}>${show(c, r)}</td>`,
      )}
      <td class="nowrap">
        <button type="button" class="btn btn-primary btn-small" id=${`ref-save-${id}`}
          disabled=${busy} onClick=${(e) => submit(e, r)}>${busy ? t('common.saving') : t('common.save')}</button>
        <button type="button" class="btn btn-small" onClick=${() => setEditing(null)}>${t('common.cancel')}</button>
      </td>
    </tr>`;
  };
  return html`<section class="panel" id=${`ref-${id}`}>
    <div class="section-head"><h3>${title}</h3></div>
    ${hint ? html`<p class="muted small">${hint}</p>` : null}
    ${error && !known ? html`<${ErrorBox} error=${error} />` : null}
    <div class="table-wrap"><table class="table table-compact" id=${`ref-table-${id}`}>
      <thead><tr>${cols.map((c) => html`<th key=${c.key}>${c.label}</th>`)}<th>${t('common.actions')}</th></tr></thead>
      <tbody>${rows.map(row)}</tbody>
    </table></div>
  </section>`;
}

const path = (...parts) => `/api/v1/reference/${parts.map(encodeURIComponent).join('/')}`;
const TABLES = ['incident-levels', 'incident-classes', 'grading-rules', 'report-deadlines'];

export function ReferencePage() {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const load = () =>
    Promise.all(TABLES.map((n) => api.get(`/api/v1/reference/${n}`).then((r) => r.data.items))).then(
      ([levels, classes, rules, deadlines]) => setData({ levels, classes, rules, deadlines }),
      setError,
    );
  useEffect(() => {
    load();
  }, []);
  const saved = () => {
    setNotice(t('common.saved'));
    load();
  };
  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  if (!data) return html`<div class="page"><${Loading} /></div>`;
  // Sub-classes listed under their class, their code indented.
  const classes = data.classes.flatMap((c) => [c, ...(c.subclasses || []).map((s) => ({ ...s, sub: true }))]);
  const levelName = (code) => t(`inc.level.${code}`);
  return html`<div class="page page-wide" id="reference-page">
    <div class="page-head"><div>
      <h2>${t('ref.title')}</h2>
      <div class="subhead">${t('ref.subtitle')}</div>
    </div></div>
    ${notice ? html`<${Notice} kind="ok">${notice}</${Notice}>` : null}
    <${RefTable} id="levels" title=${t('ref.levels')} hint=${t('ref.levelsHint')} rows=${data.levels}
      keyOf=${(r) => r.code} onSaved=${saved}
      save=${(r, body) => api.patch(path('incident-levels', r.code), body).then(forget('incident-levels'))}
      cols=${[
        { key: 'name_zh', label: t('inc.level') },
        { key: 'ack_minutes', label: t('ref.ackMinutes'), edit: 'number', min: 1, max: 1440 },
        { key: 'commitment_minutes', label: t('ref.commitmentMinutes'), edit: 'number', min: 1, max: 2880 },
        { key: 'must_report', label: t('ref.mustReport') },
        { key: 'pass_on', label: t('ref.passOn') },
      ]} />
    <${RefTable} id="classes" title=${t('ref.classes')} hint=${t('ref.classesHint')} rows=${classes}
      keyOf=${(r) => r.code} onSaved=${saved}
      save=${(r, body) => api.patch(path('incident-classes', r.code), body).then(forget('incident-classes'))}
      cols=${[
        { key: 'code', label: t('ref.code'), show: (r) => (r.sub ? html`<span class="ref-sub">└ ${r.code}</span>` : r.code) },
        { key: 'name_zh', label: t('ref.nameZh'), edit: 'text' },
        { key: 'name_en', label: t('ref.nameEn'), edit: 'text', nullable: true },
        { key: 'standard', label: t('ref.standard'), show: (r) => (r.sub ? '' : r.alias_of ? `${r.standard} → ${r.alias_of}` : r.standard) },
      ]} />
    <${RefTable} id="rules" title=${t('ref.rules')} hint=${t('ref.rulesHint')} rows=${data.rules}
      keyOf=${(r) => `${r.metric}/${r.level}`} onSaved=${saved}
      save=${(r, body) => api.put(path('grading-rules', r.metric, r.level), body).then(forget('grading-rules'))}
      cols=${[
        { key: 'metric', label: t('ref.metric'), show: (r) => t(`ref.metric.${r.metric}`) },
        { key: 'level', label: t('inc.level'), show: (r) => levelName(r.level) },
        { key: 'threshold', label: t('ref.threshold'), edit: 'number', min: 1 },
        { key: 'confirmed', label: t('ref.confirmed'), edit: 'bool' },
      ]} />
    <${RefTable} id="deadlines" title=${t('ref.deadlines')} hint=${t('ref.deadlinesHint')} rows=${data.deadlines}
      keyOf=${(r) => r.operator_type} onSaved=${saved}
      save=${(r, body) => api.patch(path('report-deadlines', r.operator_type), body).then(forget('report-deadlines'))}
      cols=${[
        { key: 'operator_type', label: t('inc.operator_type'), show: (r) => t(`inc.operator.${r.operator_type}`) },
        { key: 'recipient_zh', label: t('ref.recipient'), edit: 'text' },
        { key: 'first_minutes', label: t('ref.firstMinutes'), edit: 'number', min: 1, max: 1440 },
        { key: 'pass_on_minutes', label: t('ref.passOnMinutes'), edit: 'number', min: 1, max: 1440 },
        { key: 'final_days', label: t('ref.finalDays'), edit: 'number', min: 1, max: 365 },
      ]} />
  </div>`;
}

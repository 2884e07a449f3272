// pages/scoring.js - an expert's score sheet for one application: points per
// rubric criterion (0 to its max_points) with a comment, saved as a draft or
// submitted as final (PUT /scores/mine); the conflict-of-interest declaration;
// and, once the panel has closed, every expert's sheet (sealed before).
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, localizeMessage } from '../i18n.js';
import { navigate } from '../router.js';
import { fmtTime, fmtScore } from '../format.js';
import { ErrorBox, Loading, Modal, Field, fieldMessage, Notice, EmptyRow } from '../components/ui.js';
import { FormError } from '../components/forms.js';

// The form's rows from a sheet: one per criterion of the rubric.
function rowsFrom(criteria, sheet) {
  return criteria.map((k) => {
    const s = (sheet && sheet.scores || []).find((x) => x.criterion === k.code);
    return { code: k.code, name: k.name, max: k.max_points, points: s ? String(s.points) : '', comment: s && s.comment ? s.comment : '' };
  });
}

// The body of a PUT; the index of each row in the sent array maps server errors back.
function bodyFrom(rows, submit) {
  const scores = [];
  const index = [];
  rows.forEach((r, i) => {
    const p = r.points.trim();
    if (p === '' && !r.comment.trim()) return;
    if (p === '') throw new FormError(`row${i}.points`, t('score.needPoints'));
    if (!/^\d+$/.test(p) || Number(p) > r.max) throw new FormError(`row${i}.points`, t('score.outOfRange', { max: r.max }));
    const o = { criterion: r.code, points: Number(p) };
    if (r.comment.trim()) o.comment = r.comment.trim();
    scores.push(o);
    index.push(i);
  });
  if (submit) {
    const missing = rows.findIndex((r) => r.points.trim() === '');
    if (missing >= 0) throw new FormError(`row${missing}.points`, t('score.needAll'));
  }
  return { body: { scores, submit }, index };
}

// A server error "scores[2].points" -> the form's "row<i>.points".
function mapError(e, index) {
  const m = /^scores\[(\d+)\]\.?(\w*)/.exec(e.field || '');
  if (!m) return e;
  const f = `row${index[Number(m[1])]}.${m[2] || 'points'}`;
  return { code: e.code, message: e.message, field: f };
}

export function ScoreSheet({ app, campaign, panel }) {
  const [sheet, setSheet] = useState(null);
  const [rows, setRows] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(null);
  const [asking, setAsking] = useState(false);
  const closed = panel && panel.status === 'closed';

  const load = async () => {
    try {
      const { data } = await api.get(`/api/v1/applications/${app.id}/scores/mine`);
      setSheet(data);
      setRows(rowsFrom(campaign.criteria, data));
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load();
  }, [app.id]);

  const put = async (submit) => {
    let sent;
    try {
      sent = bodyFrom(rows, submit);
    } catch (e) {
      if (!(e instanceof FormError)) throw e;
      setError(e);
      setAsking(false);
      return;
    }
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const { data } = await api.put(`/api/v1/applications/${app.id}/scores/mine`, sent.body);
      setSheet(data);
      setRows(rowsFrom(campaign.criteria, data));
      setSaved(submit ? 'submitted' : 'saved');
      setAsking(false);
    } catch (e) {
      setError(mapError(e, sent.index));
      setAsking(false);
    } finally {
      setBusy(false);
    }
  };

  if (!rows) return error ? html`<${ErrorBox} error=${error} />` : html`<${Loading} />`;
  const final = !!sheet.submitted_at;
  const readOnly = final || closed;
  const total = rows.reduce((s, r) => s + (/^\d+$/.test(r.points.trim()) ? Number(r.points) : 0), 0);
  const max = rows.reduce((s, r) => s + r.max, 0);
  const set = (i, k, v) => {
    setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
    if (error && error.field && error.field.startsWith(`row${i}.`)) setError(null);
    setSaved(null);
  };
  const fieldErr = (path) => (error && error.field === path ? (error.local ? error.message : localizeMessage(error.message)) : '');
  return html`<section class="panel" id="score-sheet" data-final=${final ? 'true' : 'false'}>
    <div class="section-head">
      <h3>${t('score.title')}</h3>
      ${final ? html`<span class="badge badge-ok" id="sheet-final">${t('score.final', { time: fmtTime(sheet.submitted_at) })}</span>`
        : html`<span class="badge badge-warn" id="sheet-draft">${t('score.draft')}</span>`}
    </div>
    ${final ? html`<${Notice} kind="ok">${t('score.finalHint')}</${Notice}>` : null}
    ${closed && !final ? html`<${Notice} kind="warn">${t('score.panelClosed')}</${Notice}>` : null}
    ${saved === 'saved' ? html`<${Notice} kind="ok"><span id="sheet-saved">${t('score.saved')}</span></${Notice}>` : null}
    ${error && !(error.field || '').startsWith('row') ? html`<${ErrorBox} error=${error} />` : null}
    <table class="table score-table" id="score-table">
      <thead><tr><th>${t('score.criterion')}</th><th class="num">${t('score.max')}</th><th>${t('score.points')}</th><th>${t('score.comment')}</th></tr></thead>
      <tbody>
        ${rows.map((r, i) => html`<tr key=${r.code} data-criterion=${r.code}>
          <td><strong>${r.name}</strong><div class="mono muted small">${r.code}</div></td>
          <td class="num">${r.max}</td>
          <td class=${fieldErr(`row${i}.points`) ? 'has-error' : ''}>
            <input id=${`score-${r.code}`} type="number" min="0" max=${r.max} step="1" inputmode="numeric" class="score-input"
              value=${r.points} disabled=${readOnly} aria-label=${`${r.name} ${t('score.points')}`}
              aria-invalid=${fieldErr(`row${i}.points`) ? 'true' : 'false'} onInput=${(e) => set(i, 'points', e.target.value)} />
            ${fieldErr(`row${i}.points`) ? html`<div class="field-error" role="alert">${fieldErr(`row${i}.points`)}</div>` : null}
          </td>
          <td><textarea id=${`comment-${r.code}`} rows="2" maxlength="2000" value=${r.comment} disabled=${readOnly}
            aria-label=${`${r.name} ${t('score.comment')}`} onInput=${(e) => set(i, 'comment', e.target.value)}></textarea>
            ${fieldErr(`row${i}.comment`) ? html`<div class="field-error" role="alert">${fieldErr(`row${i}.comment`)}</div>` : null}</td>
        </tr>`)}
        <tr class="row-total"><td>${t('score.total')}</td><td class="num">${max}</td><td><span class="score-total" id="score-total">${total}</span></td><td></td></tr>
      </tbody>
    </table>
    ${readOnly ? null : html`<div class="form-actions-inline score-actions">
      <button type="button" class="btn" id="score-save" disabled=${busy} onClick=${() => put(false)}>${t('score.save')}</button>
      <button type="button" class="btn btn-primary" id="score-submit" disabled=${busy} onClick=${() => { setError(null); setAsking(true); }}>${t('score.submit')}</button>
      <span class="hint">${t('score.submitHint')}</span>
    </div>`}
    ${asking ? html`<${Modal} title=${t('score.submit')} onClose=${() => setAsking(false)}
        footer=${html`<button type="button" class="btn" onClick=${() => setAsking(false)}>${t('common.cancel')}</button>
          <button type="button" class="btn btn-primary" id="score-submit-confirm" disabled=${busy} onClick=${() => put(true)}>${t('common.confirm')}</button>`}>
        <p>${t('score.submitConfirm', { total, max })}</p>
      </${Modal}>` : null}
  </section>`;
}

// The conflict-of-interest declaration; a declared tie takes the application away.
export function ConflictBox({ app }) {
  const [open, setOpen] = useState(false);
  const [conflicted, setConflicted] = useState(false);
  const [statement, setStatement] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [declared, setDeclared] = useState(null);
  const declare = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = { conflicted };
      if (statement.trim()) body.statement = statement.trim();
      await api.post(`/api/v1/applications/${app.id}/conflict`, body);
      setOpen(false);
      if (conflicted) {
        sessionStorage.setItem('yj.notice', 'conflictDeclared');
        navigate('#/reviews');
      } else {
        setDeclared('none');
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="panel conflict-box" id="conflict-box">
    <h3>${t('conflict.title')}</h3>
    <p class="hint">${t('conflict.hint')}</p>
    ${declared ? html`<${Notice} kind="ok"><span id="conflict-declared">${t('conflict.declaredNone')}</span></${Notice}>` : null}
    <button type="button" class="btn" id="declare-conflict" onClick=${() => { setError(null); setOpen(true); }}>${t('conflict.declare')}</button>
    ${open ? html`<${Modal} title=${t('conflict.title')} onClose=${() => setOpen(false)}
        footer=${html`<button type="button" class="btn" onClick=${() => setOpen(false)}>${t('common.cancel')}</button>
          <button type="button" class=${conflicted ? 'btn btn-danger' : 'btn btn-primary'} id="conflict-save" disabled=${busy} onClick=${declare}>${t('common.confirm')}</button>`}>
        <div class="radio-group" role="radiogroup">
          <label class="radio"><input type="radio" name="conflicted" id="conflict-no" checked=${!conflicted} onChange=${() => setConflicted(false)} />
            <span>${t('conflict.no')}</span></label>
          <label class="radio"><input type="radio" name="conflicted" id="conflict-yes" checked=${conflicted} onChange=${() => setConflicted(true)} />
            <span>${t('conflict.yes')}</span></label>
        </div>
        ${conflicted ? html`<div class="alert alert-warn">${t('conflict.yesWarn')}</div>` : null}
        <${Field} id="f-statement" label=${t('conflict.statement')} required=${conflicted} error=${fieldMessage(error, 'statement')}>
          <textarea id="f-statement" rows="4" maxlength="2000" value=${statement} onInput=${(e) => setStatement(e.target.value)}></textarea>
        </${Field}>
        ${error && error.field !== 'statement' ? html`<${ErrorBox} error=${error} />` : null}
      </${Modal}>` : null}
  </section>`;
}

// Every expert's sheet and the aggregate (authority and auditor any time; an
// expert once the panel has closed).
export function AllScores({ app, campaign }) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api.get(`/api/v1/applications/${app.id}/scores`).then((r) => setData(r.data), setError);
  }, [app.id]);
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!data) return html`<${Loading} />`;
  const criteria = campaign.criteria || [];
  return html`<div id="all-scores">
    <p>${t('score.aggregate')}：<strong id="aggregate-score">${data.score === null ? t('score.noAggregate') : fmtScore(data.score)}</strong></p>
    <div class="table-wrap"><table class="table" id="sheets-table">
      <thead><tr><th>${t('score.expert')}</th>
        ${criteria.map((k) => html`<th key=${k.code} class="num">${k.name}（${k.max_points}）</th>`)}
        <th class="num">${t('score.total')}</th><th>${t('score.submitted_at')}</th></tr></thead>
      <tbody>
        ${data.sheets.map((s) => html`<tr key=${s.expert_id}>
          <td>${s.expert_name}</td>
          ${criteria.map((k) => {
            const x = s.scores.find((y) => y.criterion === k.code);
            return html`<td key=${k.code} class="num" title=${x && x.comment ? x.comment : ''}>${x ? x.points : ''}
              ${x && x.comment ? html`<div class="muted small score-comment">${x.comment}</div>` : null}</td>`;
          })}
          <td class="num"><strong>${s.total}</strong></td>
          <td class="nowrap">${s.submitted_at ? fmtTime(s.submitted_at) : html`<span class="badge badge-warn">${t('score.draft')}</span>`}</td>
        </tr>`)}
        ${data.sheets.length === 0 ? html`<${EmptyRow} cols=${criteria.length + 3} text=${t('score.noSheets')} />` : null}
      </tbody>
    </table></div>
    <p class="hint">${t('ranking.aggregation')}</p>
  </div>`;
}

// pages/appeditor.js - the unit edits its application section by section. Every
// change is autosaved a moment later: a JSON merge patch of the top-level keys
// that changed, with If-Match (the application's ETag); the state shows 已保存 /
// 正在保存 / 未保存. A 412 means the application changed elsewhere (a return, a
// save from another tab): the page offers to reload. The server's field errors
// appear next to their fields. Attachments are uploaded by kind; a checklist
// shows what submission will ask for; submission freezes the version.
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, localizeMessage } from '../i18n.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Modal, Notice, fieldMessage, errorTitle } from '../components/ui.js';
import { SpecField, RowsEditor, FormError, idFor } from '../components/forms.js';
import { Attachments } from '../components/attachments.js';
import { Badge } from '../components/status.js';
import { SECTIONS, TEXT_SECTIONS, DECLARATIONS, specs, formFromContent, jsonFor, sectionOf, checklist, kindName } from './appmodel.js';

const AUTOSAVE_MS = 1000;

function SaveState({ state, savedAt }) {
  const label = {
    saved: savedAt ? t('editor.savedAt', { time: fmtTime(savedAt) }) : t('common.saved'),
    dirty: t('editor.unsaved'),
    saving: t('common.saving'),
    error: t('editor.saveFailed'),
    stale: t('editor.stale'),
  }[state];
  return html`<span class=${`save-state save-${state}`} id="save-state" data-state=${state} role="status" aria-live="polite">${label}</span>`;
}

export function Checklist({ items, onGo }) {
  const done = items.filter((x) => x.ok).length;
  const complete = done === items.length;
  return html`<div class=${complete ? 'checklist checklist-complete' : 'checklist'} id="checklist"
      data-complete=${complete ? 'true' : 'false'}>
    <div class="checklist-head">
      <strong>${t('editor.checklist')}</strong>
      <span class=${complete ? 'badge badge-ok' : 'badge badge-warn'} id="checklist-summary">
        ${complete ? t('editor.checklistComplete') : t('editor.checklistProgress', { done, n: items.length })}</span>
    </div>
    <ul>
      ${items.map((x) => html`<li key=${x.id} class=${x.ok ? 'ok' : 'missing'} data-item=${x.id} data-ok=${x.ok ? 'true' : 'false'}>
        <span class="mark" aria-hidden="true">${x.ok ? '✓' : '✗'}</span>
        <button type="button" class="link-button" onClick=${() => onGo(x.section)}>${x.label}</button>
      </li>`)}
    </ul>
  </div>`;
}

export function ApplicationEditor({ app, etag, campaign, refs, onSaved, onSubmitted, onReload }) {
  const sp = specs(refs);
  const [form, setForm] = useState(() => formFromContent(app.content, sp));
  const [attachments, setAttachments] = useState(null);
  const [section, setSection] = useState('profile');
  const [state, setState] = useState('saved');
  const [savedAt, setSavedAt] = useState(app.versions && app.versions.length ? app.versions[app.versions.length - 1].updated_at : null);
  const [error, setError] = useState(null);
  const [asking, setAsking] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState(null);
  const formRef = useRef(form);
  const etagRef = useRef(etag);
  const dirty = useRef(new Map());
  const timer = useRef(null);
  const saving = useRef(null);
  const again = useRef(false);
  const [importing, setImporting] = useState(false);
  // Which of the profile's lists are unfolded (the staff list can be long).
  const [openBlocks, setOpenBlocks] = useState({ contacts: true, offices: false, staff: false, capabilities: true });

  useEffect(() => {
    api.getAll(`/api/v1/applications/${app.id}/attachments`).then(setAttachments, setError);
    const onUnload = (e) => {
      if (dirty.current.size) {
        e.preventDefault();
        e.returnValue = '';
      }
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      clearTimeout(timer.current);
      if (dirty.current.size) flush(); // leaving the page: save what is pending
    };
  }, []);

  // Brings the field a new error names into view: its section first, then the field.
  const focusPending = useRef(null);
  useEffect(() => {
    const err = error || submitError;
    if (!err || !err.field) return;
    focusPending.current = err.field;
    const sec = sectionOf(err.field);
    if (sec && sec !== section) setSection(sec);
  }, [error, submitError]);
  useEffect(() => {
    const path = focusPending.current;
    if (!path || (sectionOf(path) && sectionOf(path) !== section)) return;
    focusPending.current = null;
    let p = path;
    let el = null;
    while (p && !(el = document.getElementById(idFor(p)))) {
      const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut > 0 ? p.slice(0, cut) : '';
    }
    if (el && el.focus) el.focus();
  });

  async function save() {
    const snapshot = new Map(dirty.current);
    if (snapshot.size === 0) return true;
    const body = {};
    try {
      for (const k of snapshot.keys()) body[k] = jsonFor(k, formRef.current, sp);
    } catch (e) {
      if (!(e instanceof FormError)) throw e;
      setError(e);
      setState('error');
      return false;
    }
    setState('saving');
    try {
      const r = await api.patch(`/api/v1/applications/${app.id}/content`, body, { ifMatch: etagRef.current });
      etagRef.current = r.etag;
      for (const [k, rev] of snapshot) if (dirty.current.get(k) === rev) dirty.current.delete(k);
      setSavedAt(new Date().toISOString());
      setError(null);
      setState(dirty.current.size ? 'dirty' : 'saved');
      onSaved(r.data, r.etag);
      return true;
    } catch (e) {
      if (e.code === 'precondition_failed') {
        setState('stale');
      } else {
        setError(e);
        setState('error');
      }
      return false;
    }
  }

  // Saves now; resolves true when nothing is left unsaved.
  async function flush() {
    clearTimeout(timer.current);
    if (saving.current) {
      again.current = true;
      await saving.current;
    }
    saving.current = save();
    let ok = await saving.current;
    saving.current = null;
    if (ok && again.current) {
      again.current = false;
      ok = await flush();
    }
    return ok && dirty.current.size === 0;
  }

  const change = (key, value) => {
    formRef.current = { ...formRef.current, [key]: value };
    setForm(formRef.current);
    dirty.current.set(key, (dirty.current.get(key) || 0) + 1);
    if (state !== 'stale') setState('dirty');
    if (error && error.field && sectionOf(error.field) === key) setError(null);
    clearTimeout(timer.current);
    if (state !== 'stale') timer.current = setTimeout(flush, AUTOSAVE_MS);
  };

  const importProfile = async () => {
    setImporting(true);
    try {
      const r = await api.get(`/api/v1/units/${app.unit_id}`);
      const profile = { ...r.data };
      change('profile', formFromContent({ profile }, sp).profile);
    } catch (e) {
      setError(e);
    } finally {
      setImporting(false);
    }
  };

  const submit = async () => {
    setSubmitting(true);
    setSubmitError(null);
    const saved = await flush();
    if (!saved) {
      setSubmitting(false);
      setAsking(false);
      return;
    }
    try {
      const r = await api.post(`/api/v1/applications/${app.id}/submit`, undefined, { ifMatch: etagRef.current });
      setAsking(false);
      onSubmitted(r.data, r.etag);
    } catch (e) {
      setSubmitting(false);
      setAsking(false);
      if (e.code === 'precondition_failed') setState('stale');
      else setSubmitError(e);
    }
  };

  const list = checklist(form, attachments || [], refs.kinds);
  const sectionOk = (k) => {
    const items = list.filter((x) => x.section === k);
    if (!items.length) return null;
    return items.every((x) => x.ok);
  };
  const err = error || submitError;
  const returned = app.status === 'returned'
    ? (app.versions || []).filter((v) => v.return_reason).slice(-1)[0] : null;

  const p = form.profile;
  const setProfile = (k, v) => change('profile', { ...p, [k]: v });
  const setBasic = (k, v) => change('profile', { ...p, basic: { ...p.basic, [k]: v } });

  const body = () => {
    const k = section;
    if (k === 'profile') {
      return html`<div>
        <div class="section-tools">
          <p class="hint">${t('editor.profileHint')}</p>
          <button type="button" class="btn btn-small" id="import-profile" disabled=${importing} onClick=${importProfile}>${t('editor.importProfile')}</button>
        </div>
        <div class="form-grid">
          ${sp.basic.map((s) => html`<${SpecField} key=${s.k} spec=${s} path=${`profile.${s.k}`} value=${p.basic[s.k]}
            onValue=${(v) => setBasic(s.k, v)} err=${err} />`)}
        </div>
        ${['contacts', 'offices', 'staff', 'capabilities'].map((x) => {
          const bad = err && err.field && err.field.startsWith(`profile.${x}`);
          return html`<details class="sub-block" key=${x} id=${`block-${x}`} open=${bad || openBlocks[x]}
              onToggle=${(e) => setOpenBlocks((o) => ({ ...o, [x]: e.target.open }))}>
            <summary class="subhead-h">${t(`unit.${x}`)}<span class="count">${p[x].length}</span>
              ${bad ? html`<span class="badge badge-error">${t('editor.saveFailed')}</span>` : null}</summary>
            <${RowsEditor} specs=${sp[x]} rows=${p[x]} path=${`profile.${x}`} err=${err} onChange=${(rows) => setProfile(x, rows)}
              inline=${x === 'capabilities'} addLabel=${t(`editor.add.${x}`)} />
          </details>`;
        })}
      </div>`;
    }
    if (k === 'security_since') {
      return html`<div class="form-grid"><${SpecField} spec=${{ k, type: 'date', label: t('sec.security_since'), required: true,
        hint: t('editor.securitySinceHint') }} path=${k} value=${form[k]} onValue=${(v) => change(k, v)} err=${err} /></div>`;
    }
    if (TEXT_SECTIONS[k]) {
      return html`<div class="form-grid"><${SpecField} spec=${{ k, type: 'textarea', label: t(`sec.${k}`), full: true, rows: 10,
        ...TEXT_SECTIONS[k] }} path=${k} value=${form[k]} onValue=${(v) => change(k, v)} err=${err} /></div>`;
    }
    if (['finances', 'qualifications', 'projects', 'typical_cases'].includes(k)) {
      const max = { finances: 10, qualifications: 100, projects: 200, typical_cases: 5 }[k];
      return html`<div>
        <p class="hint">${t(`editor.hint.${k}`)}</p>
        <${RowsEditor} specs=${sp[k]} rows=${form[k]} path=${k} err=${err} max=${max} inline=${k === 'finances'} dense=${k === 'finances'}
          onChange=${(rows) => change(k, rows)} addLabel=${t(`editor.add.${k}`)} />
      </div>`;
    }
    if (k === 'major_event_case') {
      return html`<div><p class="hint">${t('editor.hint.major_event_case')}</p><div class="form-grid">
        ${sp.major_event_case.map((s) => html`<${SpecField} key=${s.k} spec=${s} path=${`major_event_case.${s.k}`}
          value=${form.major_event_case[s.k]} onValue=${(v) => change(k, { ...form.major_event_case, [s.k]: v })} err=${err} />`)}
      </div></div>`;
    }
    if (k === 'declarations') {
      return html`<div class="declarations-edit">
        <p class="hint">${t('editor.hint.declarations')}</p>
        ${DECLARATIONS.map((d) => {
          const path = `declarations.${d}`;
          const msg = fieldMessage(err, path);
          return html`<div class=${msg ? 'declaration has-error' : 'declaration'} key=${d}>
            <label class="check-row"><input type="checkbox" id=${idFor(path)} checked=${form.declarations[d]}
              onChange=${(e) => change(k, { ...form.declarations, [d]: e.target.checked })} />
              <span>${t(`decl.${d}`)}</span></label>
            ${msg ? html`<div class="field-error" role="alert">${msg}</div>` : null}
          </div>`;
        })}
      </div>`;
    }
    if (k === 'attachments') {
      return attachments
        ? html`<div>
            ${err && err.field && err.field.startsWith('attachments.')
              ? html`<div class="field-error" role="alert" id="attachments-error">${t('editor.attachmentMissing', {
                  kind: kindName((refs.kinds || []).find((x) => x.code === err.field.slice(12)) || { code: err.field.slice(12) }) })}
                  — ${localizeMessage(err.message)}</div>` : null}
            <${Attachments} applicationId=${app.id} kinds=${refs.kinds || []} attachments=${attachments} editable=${true}
              onChange=${setAttachments} /></div>`
        : html`<p class="muted">${t('common.loading')}</p>`;
    }
    return null;
  };

  return html`<div class="editor" id="application-editor" data-application-id=${app.id}>
    <div class="editor-bar">
      <div>
        <${Badge} family="status" code=${app.status} id="application-status" />
        <span class="muted">${t('editor.deadline', { time: fmtTime(campaign.deadline_at) })}</span>
      </div>
      <div class="editor-bar-right">
        <${SaveState} state=${state} savedAt=${savedAt} />
        <button type="button" class="btn btn-small" id="save-now" disabled=${state === 'saving' || state === 'stale'}
          onClick=${flush}>${t('editor.saveNow')}</button>
      </div>
    </div>
    ${returned ? html`<div class="alert alert-warn" role="status" id="returned-reason">
        <div class="alert-title">${t('editor.returned', { time: fmtTime(returned.returned_at) })}</div>
        <div class="pre">${returned.return_reason}</div>
        <div class="small">${t('editor.returnedHint')}</div>
      </div>` : null}
    ${state === 'stale' ? html`<${ErrorBox} title=${t('editor.staleTitle')}>
        <div>${t('editor.staleHint')}</div>
        <button type="button" class="btn" id="reload-application" onClick=${onReload}>${t('form.reloadLatest')}</button>
      </${ErrorBox}>` : null}
    ${err ? html`<div class="alert alert-error" role="alert" id="editor-error">
        <div class="alert-title">${err.field ? t('editor.errorAt', { field: fieldLabel(err.field, sp, refs.kinds), msg: err.local ? err.message : localizeMessage(err.message) }) : errorTitle(err)}</div>
        ${!err.local && err.message ? html`<div class="alert-detail">${errorTitle(err)} · ${t('common.serverSays')}${err.field ? `${err.field}: ` : ''}${err.message}</div>` : null}
      </div>` : null}
    <div class="editor-layout">
      <nav class="editor-nav" aria-label=${t('editor.sections')}>
        <ol>
          ${SECTIONS.map((k, i) => {
            const ok = sectionOk(k);
            const bad = err && err.field && sectionOf(err.field) === k;
            return html`<li key=${k}><button type="button" id=${`sec-${k}`} class=${`${k === section ? 'active' : ''} ${bad ? 'sec-error' : ''}`}
                aria-current=${k === section ? 'true' : undefined} onClick=${() => setSection(k)}>
              <span class="sec-no">${i + 1}</span><span class="sec-label">${t(`sec.${k}`)}</span>
              ${ok === null ? null : html`<span class=${ok ? 'sec-mark ok' : 'sec-mark missing'} aria-label=${ok ? t('editor.sectionDone') : t('editor.sectionTodo')}>${ok ? '✓' : '•'}</span>`}
            </button></li>`;
          })}
        </ol>
      </nav>
      <div class="editor-main">
        <section class="panel" id=${`edit-sec-${section}`}>
          <h3>${t(`sec.${section}`)}</h3>
          ${body()}
        </section>
        <section class="panel" id="submit-panel">
          <${Checklist} items=${list} onGo=${setSection} />
          <div class="submit-row">
            <p class="hint">${t('editor.submitHint')}</p>
            <button type="button" class="btn btn-primary btn-large" id="submit-application"
              disabled=${submitting || state === 'stale' || !attachments} onClick=${() => { setSubmitError(null); setAsking(true); }}>
              ${app.status === 'returned' ? t('editor.resubmit') : t('editor.submit')}</button>
          </div>
        </section>
      </div>
    </div>
    ${asking ? html`<${Modal} title=${app.status === 'returned' ? t('editor.resubmit') : t('editor.submit')} onClose=${() => setAsking(false)}
        footer=${html`<button type="button" class="btn" onClick=${() => setAsking(false)}>${t('common.cancel')}</button>
          <button type="button" class="btn btn-primary" id="submit-confirm" disabled=${submitting} onClick=${submit}>
            ${submitting ? t('editor.submitting') : t('editor.submitConfirm')}</button>`}>
        <p>${t('editor.submitExplain')}</p>
        ${list.every((x) => x.ok) ? null : html`<${Notice} kind="warn">${t('editor.submitIncomplete', { n: list.filter((x) => !x.ok).length })}</${Notice}>`}
      </${Modal}>` : null}
  </div>`;
}

// A field path for people: "profile.contacts[1].email" -> "单位基本情况 · 联系人 · 第 2 行 · 电子邮箱".
export function fieldLabel(path, sp, kinds) {
  const sec = sectionOf(path);
  if (!sec) return path;
  const parts = [t(`sec.${sec}`)];
  let list = sec === 'profile' ? 'basic' : sec;
  for (const tok of path.slice(sec.length).match(/\.\w+|\[\d+\]/g) || []) {
    if (tok[0] === '[') {
      parts.push(t('form.row', { n: Number(tok.slice(1, -1)) + 1 }));
      continue;
    }
    const name = tok.slice(1);
    if (sec === 'profile' && ['contacts', 'offices', 'staff', 'capabilities'].includes(name)) {
      parts.push(t(`unit.${name}`));
      list = name;
    } else if (sec === 'declarations') {
      parts.push(t(`decl.${name}`));
    } else if (sec === 'attachments') {
      parts.push(kindName((kinds || []).find((x) => x.code === name) || { code: name }));
    } else {
      const spec = sp && sp[list] && sp[list].find((x) => x.k === name);
      parts.push(spec ? spec.label : name);
    }
  }
  return parts.join(' · ');
}

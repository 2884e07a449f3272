// pages/threatform.js - "威胁报告" filing and editing (POST / PATCH
// /api/v1/threat-reports, docs/api-threats.md): title, MIIT category, summary,
// five-tuples, C&C addresses, propagation path, what is affected, other
// indicators, sample hashes, mobile apps (package and signing-certificate hash),
// the disposal suggestion pre-filled by category, evidence files. The C&C
// addresses, hashes and apps are indicators of roles c2, sample and app: the form
// keeps them apart for people and sends one list, mapping the server's error
// path (indicators[5].value) back to the row it came from.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { navigate, replaceHash } from '../router.js';
import { toLocalInput, fromLocalInput, fmtBytes } from '../format.js';
import { ErrorBox, Loading, Field, Notice, fieldMessage } from '../components/ui.js';
import { SpecField, RowsEditor, formRow, idFor, FormError } from '../components/forms.js';
import {
  CATEGORIES, MEASURES, BLOCKS, PROTOCOLS, C2_TYPES, HASH_TYPES, INTEL_TYPES,
  categoryName, measureName, blockName, roleName, protocolName, typeOptions, defaultDisposal, guessType,
} from './threatmodel.js';

const MAX_FILE = 20 * 1024 * 1024;

const TUPLE_SPECS = [
  { k: 'src_ip', label: () => t('threat.tuple.src_ip'), required: true, mono: true, max: 64 },
  { k: 'src_port', label: () => t('threat.tuple.src_port'), type: 'int' },
  { k: 'dst_ip', label: () => t('threat.tuple.dst_ip'), required: true, mono: true, max: 64 },
  { k: 'dst_port', label: () => t('threat.tuple.dst_port'), type: 'int' },
  { k: 'protocol', label: () => t('threat.tuple.protocol'), type: 'select', required: true,
    options: PROTOCOLS.map((p) => ({ value: p, label: protocolName(p) })) },
  { k: 'first_seen', label: () => t('threat.tuple.first_seen'), type: 'datetime-local' },
  { k: 'last_seen', label: () => t('threat.tuple.last_seen'), type: 'datetime-local' },
  { k: 'count', label: () => t('threat.tuple.count'), type: 'int' },
];
const C2_SPECS = [
  { k: 'type', label: () => t('threat.ind.type'), type: 'select', placeholder: t('threat.autoType'),
    options: typeOptions(C2_TYPES) },
  { k: 'value', label: () => t('threat.c2.value'), required: true, mono: true, max: 2048,
    placeholder: '203.0.113.9 / cnc.example.com / 203.0.113.9:8443/tcp' },
];
const IND_SPECS = [
  { k: 'type', label: () => t('threat.ind.type'), type: 'select', placeholder: t('threat.autoType'),
    options: typeOptions(INTEL_TYPES.filter((x) => x !== 'app')) },
  { k: 'value', label: () => t('threat.ind.value'), required: true, mono: true, max: 2048 },
  { k: 'role', label: () => t('threat.ind.role'), type: 'select', required: true,
    options: ['victim', 'malicious', 'c2'].map((r) => ({ value: r, label: roleName(r) })) },
  { k: 'note', label: () => t('threat.ind.note'), max: 500 },
];
const SAMPLE_SPECS = [
  { k: 'type', label: () => t('threat.ind.type'), type: 'select', placeholder: t('threat.autoType'),
    options: typeOptions(HASH_TYPES) },
  { k: 'value', label: () => t('threat.sample.value'), required: true, mono: true, max: 128 },
];
const APP_SPECS = [
  { k: 'package', label: () => t('threat.app.package'), required: true, mono: true, max: 255,
    placeholder: 'com.example.fakebank' },
  // 64 hex digits, or 95 with the colons keytool and apksigner print between bytes.
  { k: 'cert', label: () => t('threat.app.cert'), mono: true, max: 95, hint: t('threat.app.certHint') },
];
const TEXTS = ['summary', 'propagation_path', 'affected'];

const str = (v) => (v === null || v === undefined ? '' : String(v));

function formFrom(r) {
  const f = { title: r ? r.title : '', category: r ? r.category : '' };
  for (const k of TEXTS) f[k] = r ? str(r[k]) : '';
  f.tuples = ((r && r.five_tuples) || []).map((x) => ({
    ...formRow(TUPLE_SPECS, x), first_seen: toLocalInput(x.first_seen), last_seen: toLocalInput(x.last_seen),
  }));
  const inds = (r && r.indicators) || [];
  f.c2 = inds.filter((x) => x.role === 'c2').map((x) => formRow(C2_SPECS, x));
  f.indicators = inds.filter((x) => x.role === 'victim' || x.role === 'malicious').map((x) => formRow(IND_SPECS, x));
  f.samples = inds.filter((x) => x.role === 'sample').map((x) => formRow(SAMPLE_SPECS, x));
  f.apps = inds.filter((x) => x.role === 'app').map((x) => {
    const [pkg, cert] = x.value.split('|');
    return formRow(APP_SPECS, { package: pkg, cert: cert || '' });
  });
  const d = r && r.disposal ? r.disposal : null;
  f.disposal = d ? { measure: d.measure, blocks: d.blocks || [], text: str(d.text) } : defaultDisposal('other');
  f.disposalTouched = !!r;
  return f;
}

function intOrUndef(v, path) {
  const s = str(v).trim();
  if (s === '') return undefined;
  if (!/^\d+$/.test(s)) throw new FormError(path, t('err.notInteger'));
  return Number(s);
}

// The body for the API and, per indicator sent, the form path it came from.
function bodyFrom(f, editing) {
  const body = { title: f.title.trim(), category: f.category || undefined };
  for (const k of TEXTS) {
    if (f[k].trim()) body[k] = f[k];
    else if (editing) body[k] = null;
  }
  body.five_tuples = f.tuples.map((r, i) => {
    const p = `tuples[${i}]`; // the form's rows; the server's five_tuples[i] maps here too
    const x = { src_ip: r.src_ip.trim(), dst_ip: r.dst_ip.trim(), protocol: r.protocol };
    const sp = intOrUndef(r.src_port, `${p}.src_port`);
    const dp = intOrUndef(r.dst_port, `${p}.dst_port`);
    const n = intOrUndef(r.count, `${p}.count`);
    if (sp !== undefined) x.src_port = sp;
    if (dp !== undefined) x.dst_port = dp;
    if (n !== undefined) x.count = n;
    if (r.first_seen) x.first_seen = fromLocalInput(r.first_seen);
    if (r.last_seen) x.last_seen = fromLocalInput(r.last_seen);
    return x;
  });
  const list = [];
  const paths = [];
  const typed = (r, path) => {
    const type = r.type || guessType(r.value);
    if (!type) throw new FormError(`${path}.value`, t('threat.cantGuess'));
    return type;
  };
  f.c2.forEach((r, i) => {
    list.push({ type: typed(r, `c2[${i}]`), value: r.value.trim(), role: 'c2' });
    paths.push(`c2[${i}]`);
  });
  f.indicators.forEach((r, i) => {
    const x = { type: typed(r, `indicators[${i}]`), value: r.value.trim(), role: r.role };
    if (r.note.trim()) x.note = r.note.trim();
    list.push(x);
    paths.push(`indicators[${i}]`);
  });
  f.samples.forEach((r, i) => {
    list.push({ type: typed(r, `samples[${i}]`), value: r.value.trim(), role: 'sample' });
    paths.push(`samples[${i}]`);
  });
  f.apps.forEach((r, i) => {
    const pkg = r.package.trim();
    const cert = r.cert.trim();
    list.push({ type: 'app', value: cert ? `${pkg}|${cert}` : pkg, role: 'app' });
    paths.push(`apps[${i}]`);
  });
  body.indicators = list;
  const d = f.disposal;
  body.disposal = { measure: d.measure };
  if (d.measure === 'block_resource') body.disposal.blocks = d.blocks;
  if (d.text.trim()) body.disposal.text = d.text.trim();
  return { body, paths };
}

// The server's indicators[k].x as the form row's path, five_tuples[k].x as tuples[k].x.
function mapError(err, paths) {
  if (!err || !err.field) return err;
  const m = /^indicators\[(\d+)\](?:\.(\w+))?$/.exec(err.field);
  let field = err.field.replace(/^five_tuples(?=\[|$)/, 'tuples');
  if (m && paths[Number(m[1])]) {
    const base = paths[Number(m[1])];
    let sub = m[2] || 'value';
    // The server names the whole value: its message tells the certificate from the package.
    if (base.startsWith('apps')) sub = sub === 'value' && /certificate|\|/.test(err.message || '') ? 'cert' : 'package';
    else if (!base.startsWith('indicators') && sub === 'role') sub = 'type';
    else if (!base.startsWith('indicators') && sub !== 'type') sub = 'value';
    field = `${base}.${sub}`;
  } else if (err.field === 'indicators' && /c2/.test(err.message || '')) {
    field = 'c2';
  }
  if (field === err.field) return err;
  const out = Object.create(Object.getPrototypeOf(err));
  Object.assign(out, err, { field, message: err.message, code: err.code });
  return out;
}

function DisposalEditor({ d, onChange, error }) {
  const set = (k, v) => onChange({ ...d, [k]: v });
  const toggle = (b, on) => set('blocks', on ? d.blocks.concat([b]) : d.blocks.filter((x) => x !== b));
  return html`<div class="form-grid" id="threat-disposal">
    <${SpecField} spec=${{ k: 'measure', label: t('threat.disposal.measure'), type: 'select', required: true,
      options: MEASURES.map((m) => ({ value: m, label: measureName(m) })) }}
      path="disposal.measure" value=${d.measure} onValue=${(v) => set('measure', v)} err=${error} />
    ${d.measure === 'block_resource' ? html`<${Field} id=${idFor('disposal.blocks')} label=${t('threat.disposal.blocks')}
        required=${true} wide=${true} error=${fieldMessage(error, 'disposal.blocks', true)}>
      <div class="check-group" id=${idFor('disposal.blocks')}>
        ${BLOCKS.map((b) => html`<label class="check-row" key=${b}><input type="checkbox" id=${`f-disposal-block-${b}`}
          checked=${d.blocks.includes(b)} onChange=${(e) => toggle(b, e.target.checked)} /><span>${blockName(b)}</span></label>`)}
      </div>
    </${Field}>` : null}
    <${SpecField} spec=${{ k: 'text', label: t('threat.disposal.text'), type: 'textarea', rows: 3, full: true,
      max: 10000, required: d.measure === 'other' }}
      path="disposal.text" value=${d.text} onValue=${(v) => set('text', v)} err=${error} />
  </div>`;
}

function PendingFiles({ files, existing, onAdd, onRemove, error }) {
  const pick = (e) => {
    const list = Array.from(e.target.files || []);
    e.target.value = '';
    onAdd(list);
  };
  return html`<div class="threat-files">
    ${(existing || []).length ? html`<ul class="attach-files">${existing.map((x) => html`<li key=${x.seq}>
      <span class="attach-name">${x.filename}</span> <span class="muted small">${fmtBytes(x.size)} · ${x.media_type}</span></li>`)}</ul>` : null}
    ${files.length ? html`<ul class="attach-files" id="threat-pending-files">${files.map((x, i) => html`<li key=${`${x.name}-${i}`}>
      <span class="attach-name">${x.name}</span> <span class="muted small">${fmtBytes(x.size)} · ${t('threat.files.pending')}</span>
      <button type="button" class="btn-icon btn-remove" aria-label=${`${t('common.remove')} ${x.name}`} onClick=${() => onRemove(i)}>×</button>
    </li>`)}</ul>` : null}
    <label class="btn btn-small" for="threat-files">＋ ${t('threat.files.add')}</label>
    <input class="visually-hidden" type="file" id="threat-files" multiple aria-label=${t('threat.files.add')} onChange=${pick} />
    <p class="hint">${t('threat.files.hint')}</p>
    ${error ? html`<${ErrorBox} error=${error.message ? error : null} title=${error.title} />` : null}
  </div>`;
}

export function ThreatFormPage({ user, id }) {
  const [savedId, setSavedId] = useState(id || null);
  const [report, setReport] = useState(null);
  const [etag, setEtag] = useState(null);
  const [form, setForm] = useState(id ? null : formFrom(null));
  const [files, setFiles] = useState([]);
  const [fileError, setFileError] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!id) return;
    api.get(`/api/v1/threat-reports/${id}`).then((r) => {
      setReport(r.data);
      setEtag(r.etag);
      setForm(formFrom(r.data));
    }, setError);
  }, [id]);
  if (!form) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;
  // Only whoever filed it changes it, and only while a draft or returned.
  const editable = !report || (can.editThreat(user, report) && (report.status === 'draft' || report.status === 'returned'));

  const set = (k, v) => {
    setForm((f) => {
      const next = { ...f, [k]: v };
      // A new category brings its suggestion until the filer changes it.
      if (k === 'category' && !f.disposalTouched) next.disposal = defaultDisposal(v || 'other');
      if (k === 'disposal') next.disposalTouched = true;
      return next;
    });
  };
  const addFiles = (list) => {
    setFileError(null);
    const ok = [];
    for (const file of list) {
      if (file.size === 0 || file.size > MAX_FILE) {
        setFileError({ code: 'invalid', message: '', title: t(file.size ? 'threat.files.tooLarge' : 'threat.files.empty', { name: file.name }) });
      } else {
        ok.push(file);
      }
    }
    setFiles((prev) => prev.concat(ok));
  };

  const save = async (submit) => {
    if (busy) return;
    let built;
    try {
      built = bodyFrom(form, !!savedId);
    } catch (err) {
      setError(err);
      return;
    }
    setBusy(true);
    setError(null);
    let rid = savedId;
    let tag = etag;
    try {
      if (!rid) {
        const r = await api.post('/api/v1/threat-reports', built.body);
        rid = r.data.id;
        tag = r.etag;
        setSavedId(rid);
        setReport(r.data);
        setEtag(tag);
        // Later saves change this report: keep the address in step without a reload.
        replaceHash(`#/threats/${rid}/edit`);
      } else {
        const r = await api.patch(`/api/v1/threat-reports/${rid}`, built.body, { ifMatch: tag });
        tag = r.etag;
        setEtag(tag);
        setReport(r.data);
      }
      for (const file of files) {
        try {
          await api.upload(`/api/v1/threat-reports/${rid}/files`, file, { filename: file.name });
          setFiles((prev) => prev.filter((x) => x !== file));
        } catch (err) {
          setFileError({ ...err, code: err.code, message: err.message, title: t('threat.files.failed', { name: file.name }) });
          setBusy(false);
          return;
        }
      }
      if (submit) await api.post(`/api/v1/threat-reports/${rid}/submit`, undefined, { ifMatch: tag });
      navigate(`#/threats/${rid}`);
    } catch (err) {
      const mapped = mapError(err, built.paths);
      setError(mapped);
      setBusy(false);
      const el = mapped.field && document.getElementById(idFor(mapped.field));
      if (el) el.focus();
    }
  };

  const field = (k, opts = {}) => html`<${SpecField} spec=${{ k, label: t(`threat.${k}`), ...opts }} path=${k}
    value=${form[k]} onValue=${(v) => set(k, v)} err=${error} />`;
  const topError = error && (!error.field || !document.getElementById(idFor(error.field)));
  const rows = (k, specs, addLabel, extra = {}) => html`<${RowsEditor} specs=${specs} rows=${form[k]} path=${k} err=${error}
    onChange=${(v) => set(k, v)} addLabel=${addLabel} max=${1000} ...${extra} />`;
  return html`<div class="page" id="threat-form-page">
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/threats">${t('nav.threats')}</a>${savedId ? html` / <a href=${`#/threats/${savedId}`}>#${savedId}</a>` : null}</div>
        <h2>${savedId ? t('threat.editTitle', { id: savedId }) : t('threat.new')}</h2>
        <div class="subhead">${t('threat.formHint')}</div>
      </div>
    </div>
    ${report && report.status === 'returned' && report.review_comment ? html`<${Notice} kind="warn">
      <strong>${t('threat.returnedComment')}</strong> <span id="threat-return-comment">${report.review_comment}</span></${Notice}>` : null}
    ${!editable ? html`<${Notice} kind="warn">${t('threat.notEditable')}</${Notice}>` : null}
    <form class="threat-form" onSubmit=${(e) => { e.preventDefault(); save(false); }} novalidate>
      <section class="panel">
        <h3>${t('threat.sec.basic')}</h3>
        <div class="form-grid">
          ${field('title', { required: true, max: 200, full: true })}
          <${SpecField} spec=${{ k: 'category', label: t('threat.category'), type: 'select', required: true,
            options: CATEGORIES.map((c) => ({ value: c, label: categoryName(c) })) }}
            path="category" value=${form.category} onValue=${(v) => set('category', v)} err=${error} />
          ${field('summary', { type: 'textarea', rows: 4, full: true, max: 10000, required: true })}
          ${field('propagation_path', { type: 'textarea', rows: 2, full: true, max: 10000, required: true })}
          ${field('affected', { type: 'textarea', rows: 2, full: true, max: 10000, hint: t('threat.affectedHint') })}
        </div>
      </section>
      <section class="panel">
        <h3>${t('threat.sec.tuples')}</h3>
        <p class="hint">${t('threat.tuplesHint')}</p>
        ${rows('tuples', TUPLE_SPECS, t('threat.addTuple'), { dense: true })}
      </section>
      <section class="panel">
        <h3>${t('threat.sec.indicators')}</h3>
        <h4 class="subhead-h">${t('threat.c2.title')}</h4>
        <p class="hint">${t('threat.c2.hint')}</p>
        ${rows('c2', C2_SPECS, t('threat.c2.add'), { inline: true })}
        <h4 class="subhead-h">${t('threat.ind.title')}</h4>
        ${rows('indicators', IND_SPECS, t('threat.ind.add'), { inline: true })}
        <h4 class="subhead-h">${t('threat.sample.title')}</h4>
        ${rows('samples', SAMPLE_SPECS, t('threat.sample.add'), { inline: true })}
        <h4 class="subhead-h">${t('threat.app.title')}</h4>
        ${rows('apps', APP_SPECS, t('threat.app.add'), { inline: true })}
      </section>
      <section class="panel">
        <h3>${t('threat.sec.disposal')}</h3>
        <p class="hint">${t('threat.disposal.hint')}</p>
        <${DisposalEditor} d=${form.disposal} onChange=${(v) => set('disposal', v)} error=${error} />
      </section>
      <section class="panel">
        <h3>${t('threat.sec.files')}</h3>
        <${PendingFiles} files=${files} existing=${report && report.files} onAdd=${addFiles} error=${fileError}
          onRemove=${(i) => setFiles((prev) => prev.filter((x, j) => j !== i))} />
      </section>
      ${topError ? html`<div id="threat-form-error"><${ErrorBox} error=${error.local ? null : error} title=${error.local ? error.message : null} /></div>` : null}
      <div class="form-actions">
        <button type="submit" class="btn" id="threat-save" disabled=${busy || !editable}>${busy ? t('common.saving') : t('threat.saveDraft')}</button>
        <button type="button" class="btn btn-primary" id="threat-submit" disabled=${busy || !editable}
          onClick=${() => save(true)}>${t('threat.saveSubmit')}</button>
        <a class="btn" href=${savedId ? `#/threats/${savedId}` : '#/threats'}>${t('common.cancel')}</a>
      </div>
    </form>
  </div>`;
}


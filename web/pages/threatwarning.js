// pages/threatwarning.js - one early warning (预警报告): the form (title, when the
// event happened, description, cause, impact, countermeasures, analysis, colour,
// affected products, CVE/CNVD/CNNVD ids), and its page. The unit that wrote it
// edits and submits it; the authority publishes it as a bulletin, returns it with a
// comment or rejects it. A published warning is shown to units as the bulletin.
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { navigate, replaceHash } from '../router.js';
import { fmtTime, toLocalInput, fromLocalInput } from '../format.js';
import { ErrorBox, Loading, InfoGrid, EmptyRow, Modal, Field, Notice, fieldMessage } from '../components/ui.js';
import { SpecField, RowsEditor, formRow, idFor } from '../components/forms.js';
import { COLOURS, colourName, WarningStatusBadge, ColourBadge, joined } from './threatmodel.js';

const TEXTS = ['description', 'cause', 'impact', 'countermeasures', 'analysis'];
const PRODUCT_SPECS = [
  { k: 'vendor', label: () => t('warn.product.vendor'), max: 200 },
  { k: 'product', label: () => t('warn.product.product'), required: true, max: 200 },
  { k: 'versions', label: () => t('warn.product.versions'), max: 500 },
];
const DECISIONS = ['publish', 'return', 'reject'];

function formFrom(w) {
  const f = { title: w ? w.title : '', event_at: w ? toLocalInput(w.event_at) : '', colour: (w && w.colour) || '' };
  for (const k of TEXTS) f[k] = w && w[k] ? w[k] : '';
  f.products = ((w && w.affected_products) || []).map((x) => formRow(PRODUCT_SPECS, x));
  f.references = ((w && w.references) || []).join('\n');
  return f;
}

function bodyFrom(f, editing) {
  const body = { title: f.title.trim() };
  const at = fromLocalInput(f.event_at);
  if (at) body.event_at = at;
  else if (editing) body.event_at = null;
  for (const k of TEXTS) {
    if (f[k].trim()) body[k] = f[k];
    else if (editing) body[k] = null;
  }
  if (f.colour) body.colour = f.colour;
  else if (editing) body.colour = null;
  body.affected_products = f.products.map((r) => {
    const x = { product: r.product.trim() };
    if (r.vendor.trim()) x.vendor = r.vendor.trim();
    if (r.versions.trim()) x.versions = r.versions.trim();
    return x;
  });
  body.references = f.references.split(/[\s,，、;；]+/).map((x) => x.trim()).filter(Boolean);
  return body;
}

export function WarningFormPage({ user, id }) {
  const [savedId, setSavedId] = useState(id || null);
  const [w, setW] = useState(null);
  const [etag, setEtag] = useState(null);
  const [form, setForm] = useState(id ? null : formFrom(null));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!id) return;
    api.get(`/api/v1/early-warnings/${id}`).then((r) => {
      setW(r.data);
      setEtag(r.etag);
      setForm(formFrom(r.data));
    }, setError);
  }, [id]);
  if (!form) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;
  const set = (k, v) => setForm((f) => ({ ...f, [k]: v }));
  const save = async (submit) => {
    if (busy) return;
    const body = bodyFrom(form, !!savedId);
    setBusy(true);
    setError(null);
    let wid = savedId;
    let tag = etag;
    try {
      if (!wid) {
        const r = await api.post('/api/v1/early-warnings', body);
        wid = r.data.id;
        tag = r.etag;
        setSavedId(wid);
        setW(r.data);
        setEtag(tag);
        replaceHash(`#/early-warnings/${wid}/edit`);
      } else {
        const r = await api.patch(`/api/v1/early-warnings/${wid}`, body, { ifMatch: tag });
        tag = r.etag;
        setEtag(tag);
        setW(r.data);
      }
      if (submit) await api.post(`/api/v1/early-warnings/${wid}/submit`, undefined, { ifMatch: tag });
      navigate(`#/early-warnings/${wid}`);
    } catch (err) {
      // The list "references" is sent as one text box: its errors show there.
      const mapped = err.field && /^references\[/.test(err.field) ? Object.assign(Object.create(Object.getPrototypeOf(err)), err, { field: 'references' }) : err;
      setError(mapped);
      setBusy(false);
      const el = mapped.field && document.getElementById(idFor(mapped.field));
      if (el) el.focus();
    }
  };
  const editable = !w || (can.editWarning(user, w) && (w.status === 'draft' || w.status === 'returned'));
  const field = (k, opts = {}) => html`<${SpecField} spec=${{ k, label: t(`warn.${k}`), ...opts }} path=${k}
    value=${form[k]} onValue=${(v) => set(k, v)} err=${error} />`;
  const topError = error && (!error.field || !document.getElementById(idFor(error.field)));
  return html`<div class="page" id="warning-form-page">
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/early-warnings">${t('nav.earlyWarnings')}</a>${savedId ? html` / <a href=${`#/early-warnings/${savedId}`}>#${savedId}</a>` : null}</div>
        <h2>${savedId ? t('warn.editTitle', { id: savedId }) : t('warn.new')}</h2>
        <div class="subhead">${t('warn.formHint')}</div>
      </div>
    </div>
    ${w && w.status === 'returned' && w.review_comment ? html`<${Notice} kind="warn"><strong>${t('threat.returnedComment')}</strong> ${w.review_comment}</${Notice}>` : null}
    <form onSubmit=${(e) => { e.preventDefault(); save(false); }} novalidate>
      <section class="panel">
        <h3>${t('threat.sec.basic')}</h3>
        <div class="form-grid">
          ${field('title', { required: true, max: 200, full: true })}
          ${field('event_at', { type: 'datetime-local', required: true, hint: t('inc.cstHint') })}
          <${Field} id=${idFor('colour')} label=${t('warn.colour')} required=${true} error=${fieldMessage(error, 'colour')} wide=${true}>
            <div class="radio-group" id=${idFor('colour')} role="radiogroup">
              ${COLOURS.map((c) => html`<label class="radio" key=${c}><input type="radio" name="colour" id=${`${idFor('colour')}-${c}`}
                value=${c} checked=${form.colour === c} onChange=${() => set('colour', c)} /><span class=${`warn-colour-dot warn-colour-${c}`}></span>${colourName(c)}</label>`)}
            </div>
          </${Field}>
          ${TEXTS.map((k) => html`<${SpecField} key=${k} spec=${{ k, label: t(`warn.${k}`), type: 'textarea', rows: 3, full: true, max: 10000, required: true }}
            path=${k} value=${form[k]} onValue=${(v) => set(k, v)} err=${error} />`)}
        </div>
      </section>
      <section class="panel">
        <h3>${t('warn.affected_products')}</h3>
        <${RowsEditor} specs=${PRODUCT_SPECS} rows=${form.products} path="affected_products" err=${error}
          onChange=${(v) => set('products', v)} addLabel=${t('warn.addProduct')} max=${100} inline=${true} />
        <div class="form-grid section-gap">
          ${field('references', { type: 'textarea', rows: 3, full: true, hint: t('warn.referencesHint') })}
        </div>
      </section>
      ${topError ? html`<${ErrorBox} error=${error} />` : null}
      <div class="form-actions">
        <button type="submit" class="btn" id="warning-save" disabled=${busy || !editable}>${busy ? t('common.saving') : t('threat.saveDraft')}</button>
        <button type="button" class="btn btn-primary" id="warning-submit" disabled=${busy || !editable} onClick=${() => save(true)}>${t('threat.saveSubmit')}</button>
        <a class="btn" href=${savedId ? `#/early-warnings/${savedId}` : '#/early-warnings'}>${t('common.cancel')}</a>
      </div>
    </form>
  </div>`;
}

function ReviewDialog({ w, etag, onDone, onCancel }) {
  const [decision, setDecision] = useState('publish');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/early-warnings/${w.id}/review`, { decision, comment: comment.trim() || undefined }, { ifMatch: etag });
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${t('warn.review')} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn btn-primary" id="warning-review-confirm" disabled=${busy} onClick=${go}>${t('common.confirm')}</button>`}>
    <div class="form-narrow">
      <div class="radio-group" role="radiogroup">
        ${DECISIONS.map((d) => html`<label class="radio" key=${d}><input type="radio" name="warning-decision" id=${`warning-decision-${d}`}
          checked=${decision === d} onChange=${() => setDecision(d)} />${t(`warn.decision.${d}`)}</label>`)}
      </div>
      <${Field} id="warning-review-comment" label=${t('threat.review.comment')} required=${decision !== 'publish'} error=${fieldMessage(error, 'comment')}>
        <textarea id="warning-review-comment" rows="3" value=${comment} onInput=${(e) => setComment(e.target.value)}></textarea>
      </${Field}>
    </div>
    ${error && error.field !== 'comment' ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

export function WarningPage({ user, id }) {
  const [w, setW] = useState(null);
  const [etag, setEtag] = useState(null);
  const [error, setError] = useState(null);
  const [actionError, setActionError] = useState(null);
  const [reviewing, setReviewing] = useState(false);
  const load = useCallback(() => api.get(`/api/v1/early-warnings/${id}`).then((r) => {
    setW(r.data);
    setEtag(r.etag);
    setError(null);
  }, setError), [id]);
  useEffect(() => { load(); }, [id]);
  if (!w) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;
  const status = w.status || 'published';
  const editable = can.editWarning(user, w) && (status === 'draft' || status === 'returned');
  const submit = async () => {
    setActionError(null);
    try {
      await api.post(`/api/v1/early-warnings/${w.id}/submit`, undefined, { ifMatch: etag });
      load();
    } catch (e) {
      setActionError(e);
    }
  };
  const products = w.affected_products || [];
  return html`<div class="page page-wide" id="warning-page" data-warning-id=${w.id}>
    <div class="page-head">
      <div>
        <div class="crumbs">${status === 'published' ? html`<a href="#/bulletins">${t('nav.bulletins')}</a>` : html`<a href="#/early-warnings">${t('nav.earlyWarnings')}</a>`} / #${w.id}</div>
        <h2 id="warning-title">${w.title}</h2>
        <div class="subhead">
          <${WarningStatusBadge} status=${status} id="warning-status" />
          <${ColourBadge} colour=${w.colour} />
          ${w.unit_name ? html`<span>${w.unit_name}</span>` : null}
          ${w.published_at ? html`<span>${t('warn.publishedShort', { time: fmtTime(w.published_at) })}</span>` : null}
        </div>
      </div>
      <div class="actions">
        ${editable ? html`<a class="btn" id="warning-edit" href=${`#/early-warnings/${w.id}/edit`}>${t('common.edit')}</a>
          <button type="button" class="btn btn-primary" id="warning-submit-now" onClick=${submit}>${t('threat.submit')}</button>` : null}
        ${can.reviewWarning(user) && status === 'submitted' ? html`<button type="button" class="btn btn-primary" id="warning-review"
          onClick=${() => setReviewing(true)}>${t('warn.review')}</button>` : null}
      </div>
    </div>
    ${w.review_comment && (status === 'returned' || status === 'rejected') ? html`<${Notice} kind="warn">
      <strong>${t('threat.returnedComment')}</strong> <span id="warning-review-comment-text">${w.review_comment}</span></${Notice}>` : null}
    <${ErrorBox} error=${actionError} />
    <section class="panel" id="warning-facts">
      <h3>${t('threat.sec.basic')}</h3>
      <${InfoGrid} items=${[
        [t('warn.title'), w.title, true],
        [t('warn.event_at'), fmtTime(w.event_at)],
        [t('warn.colour'), html`<${ColourBadge} colour=${w.colour} />`],
        ...TEXTS.map((k) => [t(`warn.${k}`), w[k] ? html`<div class="pre">${w[k]}</div>` : '', true]),
        [t('warn.references'), (w.references || []).length ? html`<span class="mono" id="warning-references">${joined(w.references)}</span>` : '', true],
      ]} />
    </section>
    <section class="panel" id="warning-products">
      <h3>${t('warn.affected_products')}<span class="count">${products.length}</span></h3>
      <div class="table-wrap"><table class="table table-compact">
        <thead><tr><th>${t('warn.product.vendor')}</th><th>${t('warn.product.product')}</th><th>${t('warn.product.versions')}</th></tr></thead>
        <tbody>
          ${products.map((p, i) => html`<tr key=${i}><td>${p.vendor || ''}</td><td>${p.product}</td><td>${p.versions || ''}</td></tr>`)}
          ${products.length === 0 ? html`<${EmptyRow} cols=${3} />` : null}
        </tbody>
      </table></div>
    </section>
    ${(w.reviews || []).length ? html`<section class="panel" id="warning-reviews">
      <h3>${t('threat.reviews')}</h3>
      <div class="table-wrap"><table class="table table-compact"><tbody>
        ${w.reviews.slice().reverse().map((v) => html`<tr key=${v.seq}><td class="nowrap">${fmtTime(v.reviewed_at)}</td><td>${v.reviewer || ''}</td>
          <td>${t(`warn.decision.${v.decision}`)}</td><td class="pre">${v.comment || ''}</td></tr>`)}
      </tbody></table></div>
    </section>` : null}
    ${reviewing ? html`<${ReviewDialog} w=${w} etag=${etag} onCancel=${() => setReviewing(false)}
      onDone=${() => { setReviewing(false); load(); }} />` : null}
  </div>`;
}

// pages/intelconstituent.js - one constituent (受保护对象): the organisation, its IP
// ranges, AS numbers and domains (one per line) and its abuse and security
// contacts; the authority creates, edits (PATCH with If-Match, the lists replaced
// whole) and deletes it. A range or domain another constituent owns is refused by
// the server naming its line.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, localizeMessage } from '../i18n.js';
import { can } from '../auth.js';
import { navigate } from '../router.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, InfoGrid, Field, ConfirmDialog } from '../components/ui.js';
import { SpecField, RowsEditor, formRow, idFor } from '../components/forms.js';
import { CONSTITUENT_KINDS, CONTACT_ROLES, kindName, contactRoleName } from './threatmodel.js';

const CONTACT_SPECS = [
  { k: 'role', label: () => t('cons.contact.role'), type: 'select', required: true,
    options: CONTACT_ROLES.map((r) => ({ value: r, label: contactRoleName(r) })) },
  { k: 'name', label: () => t('cons.contact.name'), max: 100 },
  { k: 'email', label: () => t('cons.contact.email'), max: 254, mono: true },
  { k: 'phone', label: () => t('cons.contact.phone'), max: 40 },
];
const LISTS = ['ranges', 'asns', 'domains'];

function formFrom(c) {
  return {
    name: c ? c.name : '', kind: c ? c.kind : '', province: (c && c.province) || '', city: (c && c.city) || '',
    notes: (c && c.notes) || '',
    ranges: ((c && c.ranges) || []).join('\n'),
    asns: ((c && c.asns) || []).map((a) => `AS${a}`).join('\n'),
    domains: ((c && c.domains) || []).join('\n'),
    contacts: ((c && c.contacts) || []).map((x) => formRow(CONTACT_SPECS, x)),
  };
}

const lines = (s) => s.split(/[\s,，、;；]+/).map((x) => x.trim()).filter(Boolean);

function bodyFrom(f, editing) {
  const body = { name: f.name.trim(), kind: f.kind || undefined };
  for (const k of ['province', 'city', 'notes']) {
    if (f[k].trim()) body[k] = f[k].trim();
    else if (editing) body[k] = null;
  }
  body.ranges = lines(f.ranges);
  body.asns = lines(f.asns).map((a) => (/^\d+$/.test(a) ? Number(a) : a));
  body.domains = lines(f.domains);
  body.contacts = f.contacts.map((r) => {
    const x = { role: r.role };
    for (const k of ['name', 'email', 'phone']) if (r[k].trim()) x[k] = r[k].trim();
    return x;
  });
  return body;
}

// "ranges[2]" names the third line of the ranges box: show it there with its line.
function mapError(err, f) {
  const m = err && err.field && /^(ranges|asns|domains)\[(\d+)\]$/.exec(err.field);
  if (!m) return err;
  const value = lines(f[m[1]])[Number(m[2])] || '';
  const out = Object.assign(Object.create(Object.getPrototypeOf(err)), err);
  out.field = m[1];
  out.lineValue = value;
  return out;
}

// The message under a list box: the server's, prefixed with the value it is about.
function listMessage(err, k) {
  if (!err || err.field !== k) return '';
  const msg = localizeMessage(err.message);
  return err.lineValue ? `${t('cons.lineValue', { value: err.lineValue })}：${msg}` : msg;
}

export function ConstituentFormPage({ user, id }) {
  const [c, setC] = useState(null);
  const [etag, setEtag] = useState(null);
  const [form, setForm] = useState(id ? null : formFrom(null));
  const [provinces, setProvinces] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.reference('provinces').then(setProvinces, () => setProvinces([]));
    if (!id) return;
    api.get(`/api/v1/constituents/${id}`).then((r) => {
      setC(r.data);
      setEtag(r.etag);
      setForm(formFrom(r.data));
    }, setError);
  }, [id]);
  if (!form) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;
  const set = (k, v) => setForm((f) => ({ ...f, [k]: v }));
  const save = async (e) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const body = bodyFrom(form, !!id);
      const r = id
        ? await api.patch(`/api/v1/constituents/${id}`, body, { ifMatch: etag })
        : await api.post('/api/v1/constituents', body);
      navigate(`#/constituents/${r.data.id}`);
    } catch (err) {
      const mapped = mapError(err, form);
      setError(mapped);
      setBusy(false);
      const el = mapped.field && document.getElementById(idFor(mapped.field));
      if (el) el.focus();
    }
  };
  const field = (k, opts = {}) => html`<${SpecField} spec=${{ k, label: t(`cons.${k}`), ...opts }} path=${k}
    value=${form[k]} onValue=${(v) => set(k, v)} err=${error} />`;
  const listField = (k, hint) => html`<${Field} id=${idFor(k)} label=${t(`cons.${k}`)} error=${listMessage(error, k)} hint=${hint}>
    <textarea id=${idFor(k)} class="mono" rows="5" value=${form[k]} onInput=${(e) => set(k, e.target.value)}></textarea></${Field}>`;
  const topError = error && (!error.field || !document.getElementById(idFor(error.field)));
  return html`<div class="page" id="constituent-form-page">
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/constituents">${t('nav.constituents')}</a>${id ? html` / <a href=${`#/constituents/${id}`}>${c.name}</a>` : null}</div>
        <h2>${id ? t('cons.editTitle') : t('cons.new')}</h2>
      </div>
    </div>
    <form onSubmit=${save} novalidate>
      <section class="panel">
        <h3>${t('cons.sec.org')}</h3>
        <div class="form-grid">
          ${field('name', { required: true, max: 200, wide: true })}
          <${SpecField} spec=${{ k: 'kind', label: t('cons.kind'), type: 'select', required: true,
            options: CONSTITUENT_KINDS.map((k) => ({ value: k, label: kindName(k) })) }}
            path="kind" value=${form.kind} onValue=${(v) => set('kind', v)} err=${error} />
          <${SpecField} spec=${{ k: 'province', label: t('cons.province'), type: 'select',
            options: provinces.map((p) => ({ value: p.name, label: p.name })) }}
            path="province" value=${form.province} onValue=${(v) => set('province', v)} err=${error} />
          ${field('city', { max: 100 })}
          ${field('notes', { type: 'textarea', rows: 2, full: true, max: 2000 })}
        </div>
      </section>
      <section class="panel">
        <h3>${t('cons.sec.owned')}</h3>
        <p class="hint">${t('cons.ownedHint')}</p>
        <div class="form-grid">
          ${listField('ranges', t('cons.rangesHint'))}
          ${listField('asns', t('cons.asnsHint'))}
          ${listField('domains', t('cons.domainsHint'))}
        </div>
      </section>
      <section class="panel">
        <h3>${t('cons.contacts')}</h3>
        <p class="hint">${t('cons.contactsHint')}</p>
        <${RowsEditor} specs=${CONTACT_SPECS} rows=${form.contacts} path="contacts" err=${error}
          onChange=${(v) => set('contacts', v)} addLabel=${t('cons.addContact')} max=${20} inline=${true} />
      </section>
      ${topError ? html`<${ErrorBox} error=${error} />` : null}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" id="constituent-save" disabled=${busy}>${busy ? t('common.saving') : t('common.save')}</button>
        <a class="btn" href=${id ? `#/constituents/${id}` : '#/constituents'}>${t('common.cancel')}</a>
      </div>
    </form>
  </div>`;
}

export function ConstituentPage({ user, id }) {
  const [c, setC] = useState(null);
  const [etag, setEtag] = useState(null);
  const [error, setError] = useState(null);
  const [deleting, setDeleting] = useState(false);
  const [delError, setDelError] = useState(null);
  const [delBusy, setDelBusy] = useState(false);
  useEffect(() => {
    api.get(`/api/v1/constituents/${id}`).then((r) => {
      setC(r.data);
      setEtag(r.etag);
    }, setError);
  }, [id]);
  if (!c) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;
  const remove = async () => {
    if (delBusy) return; // one DELETE per confirmation
    setDelBusy(true);
    try {
      await api.del(`/api/v1/constituents/${id}`, { ifMatch: etag });
      navigate('#/constituents');
    } catch (e) {
      setDelError(e);
      setDelBusy(false);
    }
  };
  const manage = can.manageConstituents(user);
  const list = (xs) => (xs.length ? html`<ul class="plain-list mono">${xs.map((x) => html`<li key=${x}>${x}</li>`)}</ul>` : '');
  return html`<div class="page page-wide" id="constituent-page" data-constituent-id=${c.id}>
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/constituents">${t('nav.constituents')}</a> / #${c.id}</div>
        <h2 id="constituent-name">${c.name}</h2>
        <div class="subhead"><span class="badge badge-info">${kindName(c.kind)}</span>
          <span>${[c.province, c.city].filter(Boolean).join(' · ')}</span></div>
      </div>
      ${manage ? html`<div class="actions">
        <a class="btn" id="constituent-edit" href=${`#/constituents/${c.id}/edit`}>${t('common.edit')}</a>
        <button type="button" class="btn btn-danger-outline" id="constituent-delete" onClick=${() => setDeleting(true)}>${t('common.delete')}</button>
      </div>` : null}
    </div>
    <section class="panel" id="constituent-facts">
      <${InfoGrid} items=${[
        [t('cons.name'), c.name, true],
        [t('cons.kind'), kindName(c.kind)],
        [t('cons.region'), [c.province, c.city].filter(Boolean).join(' · ')],
        [t('cons.ranges'), list(c.ranges || [])],
        [t('cons.asns'), list((c.asns || []).map((a) => `AS${a}`))],
        [t('cons.domains'), list(c.domains || []), true],
        [t('cons.contacts'), (c.contacts || []).length ? html`<ul class="plain-list">${c.contacts.map((x, i) => html`<li key=${i}>
          <span class="badge badge-muted">${contactRoleName(x.role)}</span> ${x.name || ''}
          ${x.email ? html` <span class="mono">${x.email}</span>` : null} ${x.phone || ''}</li>`)}</ul>` : '', true],
        [t('cons.notes'), c.notes ? html`<div class="pre">${c.notes}</div>` : '', true],
        [t('intel.created_at'), fmtTime(c.created_at)],
        [t('intel.updated_at'), fmtTime(c.updated_at)],
      ]} />
    </section>
    ${deleting ? html`<${ConfirmDialog} title=${t('cons.deleteTitle')} message=${t('cons.deleteConfirm', { name: c.name })}
      confirmLabel=${t('common.delete')} danger=${true} busy=${delBusy} error=${delError} onConfirm=${remove}
      onCancel=${() => { setDeleting(false); setDelError(null); }} />` : null}
  </div>`;
}

// pages/unit.js - one support unit: basic information, contacts, offices, staff,
// capability fields, the 7×24 on-call roster and the change history.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { navigate } from '../router.js';
import { fmtTime, fmtTimeSec, fmtNumber, isNow } from '../format.js';
import { ErrorBox, Notice, Loading, Tabs, InfoGrid, EmptyRow, ConfirmDialog } from '../components/ui.js';
import { capabilityName, contactRoleName } from '../components/names.js';
import { Changes } from '../components/changes.js';
import { UnitRecord } from './unitrecord.js';
import { CertificateTable } from './certificates.js';
import { ChangeReportButton } from './requal.js';

const dash = (v) => (v === null || v === undefined || v === '' ? t('common.none') : v);

function BasicInfo({ unit }) {
  return html`<section class="panel" id="section-basic">
    <${InfoGrid} items=${[
      [t('unit.name'), unit.name],
      [t('unit.credit_code'), html`<span class="mono">${unit.credit_code}</span>`],
      [t('unit.registered_capital'), unit.registered_capital !== undefined ? fmtNumber(unit.registered_capital) : ''],
      [t('unit.legal_representative'), unit.legal_representative],
      [t('unit.founded_on'), unit.founded_on],
      [t('unit.business_term'), unit.business_term],
      [t('unit.registration_authority'), unit.registration_authority],
      [t('unit.province'), unit.province],
      [t('unit.city'), unit.city],
      [t('unit.address'), unit.address, true],
      [t('unit.business_scope'), unit.business_scope ? html`<div class="pre">${unit.business_scope}</div>` : '', true],
      [t('unit.created_at'), fmtTime(unit.created_at)],
      [t('unit.updated_at'), fmtTime(unit.updated_at)],
      [t('unit.version'), String(unit.version)],
    ]} />
  </section>`;
}

function Contacts({ unit, roles }) {
  const base = roles.length ? roles : (unit.contacts || []).map((c) => ({ code: c.role }));
  // The interface person first: the one the authority calls day to day.
  const list = base.filter((r) => r.code === 'interface').concat(base.filter((r) => r.code !== 'interface'));
  return html`<section class="panel" id="section-contacts">
    <div class="contact-grid">
      ${list.map((r) => {
        const c = (unit.contacts || []).find((x) => x.role === r.code);
        const iface = r.code === 'interface';
        return html`<div key=${r.code} class=${`contact-card${iface ? ' contact-interface' : ''}${c ? '' : ' contact-empty'}`}
          data-role=${r.code}>
          <div class="contact-role">
            ${iface ? html`<span class="star" aria-hidden="true">★</span>` : null}${contactRoleName(r.code, r)}
          </div>
          ${c
            ? html`<div class="contact-name">${c.name || t('common.none')}</div>
                <div class="contact-dept">${c.dept_title || ''}</div>
                <dl class="contact-lines">
                  <div><dt>${t('contact.mobile')}</dt><dd class="mono">${dash(c.mobile)}</dd></div>
                  <div><dt>${t('contact.office_phone')}</dt><dd class="mono">${dash(c.office_phone)}</dd></div>
                  <div><dt>${t('contact.email')}</dt><dd>${dash(c.email)}</dd></div>
                </dl>`
            : html`<div class="muted">${t('contact.notGiven')}</div>`}
          ${iface ? html`<div class="hint">${t('contact.interfaceHint')}</div>` : null}
        </div>`;
      })}
    </div>
  </section>`;
}

function Offices({ unit }) {
  const offices = unit.offices || [];
  return html`<section class="panel" id="section-offices">
    <div class="table-wrap">
      <table class="table">
        <thead><tr>
          <th>${t('office.name')}</th><th>${t('office.province')}</th><th>${t('office.city')}</th>
          <th>${t('office.address')}</th><th class="num">${t('office.floor_area_m2')}</th>
          <th>${t('office.tenure')}</th><th class="num">${t('office.staff_count')}</th>
          <th>${t('office.security_lead')}</th><th>${t('office.phone')}</th>
        </tr></thead>
        <tbody>
          ${offices.map((o, i) => html`<tr key=${i}>
            <td>${o.name || ''} ${o.is_headquarters ? html`<span class="badge badge-accent">${t('office.hq')}</span>` : null}</td>
            <td>${o.province || ''}</td><td>${o.city || ''}</td><td>${o.address || ''}</td>
            <td class="num">${o.floor_area_m2 ?? ''}</td>
            <td>${o.tenure ? t(`office.tenure.${o.tenure}`) : ''}</td>
            <td class="num">${o.staff_count ?? ''}</td>
            <td>${o.security_lead || ''}</td><td class="mono">${o.phone || ''}</td>
          </tr>`)}
          ${offices.length === 0 ? html`<${EmptyRow} cols=${9} />` : null}
        </tbody>
      </table>
    </div>
  </section>`;
}

function Staff({ unit }) {
  const staff = unit.staff || [];
  return html`<section class="panel" id="section-staff">
    <p class="muted">${t('unitPage.staffCount', { n: staff.length })}</p>
    <div class="table-wrap">
      <table class="table">
        <thead><tr>
          <th>${t('staff.name')}</th><th>${t('staff.department')}</th><th>${t('staff.post')}</th>
          <th>${t('staff.title')}</th><th>${t('staff.education')}</th><th>${t('staff.school')}</th>
          <th>${t('staff.major')}</th><th class="num">${t('staff.years_in_field')}</th>
          <th>${t('staff.in_province')}</th><th>${t('staff.certificates')}</th>
        </tr></thead>
        <tbody>
          ${staff.map((p, i) => html`<tr key=${i}>
            <td>${p.name}</td><td>${p.department || ''}</td><td>${p.post || ''}</td>
            <td>${p.title || ''}</td><td>${p.education || ''}</td><td>${p.school || ''}</td>
            <td>${p.major || ''}</td><td class="num">${p.years_in_field ?? ''}</td>
            <td>${p.in_province ? t('common.yes') : t('common.no')}</td>
            <td><div class="chips">${(p.certificates || []).map((c, k) => html`<span class="chip chip-cert" key=${k}>${c}</span>`)}</div></td>
          </tr>`)}
          ${staff.length === 0 ? html`<${EmptyRow} cols=${10} />` : null}
        </tbody>
      </table>
    </div>
  </section>`;
}

function Capabilities({ unit, fields }) {
  const caps = unit.capabilities || [];
  const all = fields.length ? fields : caps.map((c) => ({ code: c.field }));
  return html`<section class="panel" id="section-capabilities">
    <div class="cap-grid">
      ${all.map((f) => {
        const c = caps.find((x) => x.field === f.code);
        return html`<div key=${f.code} class=${c ? 'cap-card cap-on' : 'cap-card'} data-field=${f.code}>
          <div class="cap-name">${c ? '✓ ' : ''}${capabilityName(fields, f.code)}</div>
          ${c && c.description ? html`<div class="cap-desc">${c.description}</div>` : null}
        </div>`;
      })}
    </div>
  </section>`;
}

function Oncall({ unit }) {
  const now = Date.now();
  const rows = (unit.oncall || []).slice().sort((a, b) => Date.parse(a.starts_at) - Date.parse(b.starts_at));
  const current = rows.filter((r) => isNow(r.starts_at, r.ends_at, now));
  return html`<section class="panel" id="section-oncall">
    <div class=${current.length ? 'oncall-now' : 'oncall-now oncall-none'}>
      ${current.length
        ? html`<strong>${t('oncall.now')}：</strong>
            ${current.map((r, i) => html`<span key=${i} class="oncall-now-person">${r.person} <span class="mono">${r.mobile || ''}</span></span>`)}`
        : t('oncall.nobodyNow')}
    </div>
    <p class="hint">${t('oncall.tzHint')}</p>
    <div class="table-wrap">
      <table class="table">
        <thead><tr>
          <th>${t('oncall.person')}</th><th>${t('oncall.mobile')}</th>
          <th>${t('oncall.starts_at')}</th><th>${t('oncall.ends_at')}</th><th>${t('oncall.status')}</th>
        </tr></thead>
        <tbody>
          ${rows.map((r, i) => {
            const on = isNow(r.starts_at, r.ends_at, now);
            const past = Date.parse(r.ends_at) <= now;
            return html`<tr key=${i} class=${on ? 'row-now' : past ? 'row-past' : ''}>
              <td>${r.person}</td><td class="mono">${r.mobile || ''}</td>
              <td class="nowrap">${fmtTime(r.starts_at)}</td><td class="nowrap">${fmtTime(r.ends_at)}</td>
              <td>${on ? html`<span class="badge badge-ok">${t('oncall.now')}</span>`
                : past ? html`<span class="muted">${t('oncall.past')}</span>` : t('oncall.future')}</td>
            </tr>`;
          })}
          ${rows.length === 0 ? html`<${EmptyRow} cols=${5} />` : null}
        </tbody>
      </table>
    </div>
  </section>`;
}

function History({ id }) {
  const [items, setItems] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(null);
  const load = async (after) => {
    setLoading(true);
    try {
      const { data } = await api.get(`/api/v1/units/${id}/history`, { limit: 50, cursor: after || undefined });
      setItems((prev) => (after ? prev.concat(data.items) : data.items));
      setCursor(data.next_cursor);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    load(null);
  }, [id]);
  return html`<section class="panel" id="section-history">
    <${ErrorBox} error=${error} />
    <div class="table-wrap">
      <table class="table">
        <thead><tr>
          <th>${t('audit.at')}</th><th>${t('audit.actor')}</th><th>${t('audit.action')}</th><th>${t('audit.changes')}</th>
        </tr></thead>
        <tbody>
          ${items.map((r) => html`<tr key=${r.seq}>
            <td class="nowrap">${fmtTimeSec(r.at)}</td>
            <td>${r.actor}</td>
            <td class="nowrap">${t(`action.${r.action}`)}</td>
            <td><${Changes} changes=${r.changes} objectType=${r.object_type} action=${r.action} /></td>
          </tr>`)}
          ${!loading && items.length === 0 ? html`<${EmptyRow} cols=${4} text=${t('unitPage.noHistory')} />` : null}
        </tbody>
      </table>
    </div>
    ${cursor && !loading ? html`<button type="button" class="btn" onClick=${() => load(cursor)}>${t('common.loadMore')}</button>` : null}
  </section>`;
}

export function UnitPage({ user, id }) {
  const [unit, setUnit] = useState(null);
  const [etag, setEtag] = useState(null);
  const [error, setError] = useState(null);
  const [tab, setTab] = useState('basic');
  const [roles, setRoles] = useState([]);
  const [fields, setFields] = useState([]);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState(null);
  const [stale, setStale] = useState(null);

  const load = async () => {
    setError(null);
    setStale(null);
    try {
      const r = await api.get(`/api/v1/units/${id}`);
      setUnit(r.data);
      setEtag(r.etag);
    } catch (e) {
      setError(e);
    }
  };

  useEffect(() => {
    load();
    api.reference('contact-roles').then(setRoles, () => {});
    api.reference('capability-fields').then(setFields, () => {});
  }, [id]);

  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  if (!unit) return html`<div class="page"><${Loading} /></div>`;

  const hidden = !!unit.personal_data_hidden;
  const tabs = [
    { id: 'basic', label: t('unit.basic') },
    { id: 'contacts', label: t('unit.contacts'), badge: hidden ? null : String((unit.contacts || []).length) },
    { id: 'offices', label: t('unit.offices'), badge: String((unit.offices || []).length) },
    { id: 'staff', label: t('unit.staff'), badge: hidden ? null : String((unit.staff || []).length) },
    { id: 'capabilities', label: t('unit.capabilities'), badge: String((unit.capabilities || []).length) },
    { id: 'oncall', label: t('unit.oncall') },
  ];
  if (can.readUnitRecord(user, unit.id)) tabs.push({ id: 'record', label: t('unit.record') });
  if (can.readCertificates(user)) tabs.push({ id: 'certificates', label: t('unit.certificates') });
  if (can.unitHistory(user)) tabs.push({ id: 'history', label: t('unit.history') });

  const doDelete = async () => {
    setDeleting(true);
    setDeleteError(null);
    try {
      await api.del(`/api/v1/units/${id}`, { ifMatch: etag });
      setConfirming(false);
      navigate('#/units');
    } catch (e) {
      setDeleting(false);
      if (e.code === 'precondition_failed') {
        setConfirming(false);
        setStale(e);
      } else {
        setDeleteError(e);
      }
    }
  };

  const personalTab = (content) =>
    hidden ? html`<section class="panel panel-hidden"><span aria-hidden="true">🔒</span> ${t('unitPage.hiddenShort')}</section>` : content;

  const current = (unit.oncall || []).filter((r) => isNow(r.starts_at, r.ends_at));

  return html`<div class="page" id="unit-page" data-unit-id=${unit.id}>
    <div class="page-head">
      <div>
        <div class="crumbs">${user.role !== 'unit' ? html`<a href="#/units">${t('nav.units')}</a> / ` : null}${unit.name}</div>
        <h2 id="unit-name">${unit.name}</h2>
        <div class="subhead">
          <span class="mono">${unit.credit_code}</span>
          ${unit.province ? html`<span>${unit.province}${unit.city ? ` · ${unit.city}` : ''}</span>` : null}
          ${hidden ? html`<span class="badge badge-warn">${t('unitPage.hiddenShort')}</span>` : null}
          ${!hidden && current.length
            ? html`<span class="badge badge-ok">${t('oncall.now')}：${current.map((r) => r.person).join('、')}</span>`
            : null}
        </div>
      </div>
      <div class="actions">
        ${can.editUnit(user, unit.id) ? html`<a class="btn btn-primary" id="edit-unit" href=${`#/units/${unit.id}/edit`}>${t('common.edit')}</a>` : null}
        <${ChangeReportButton} user=${user} unitId=${unit.id} />
        ${can.readObligations(user, unit.id) ? html`<a class="btn" id="unit-obligations"
          href=${`#/obligations/${unit.id}`}>${t('oblig.unitLink')}</a>` : null}
        ${can.deleteUnit(user) ? html`<button type="button" class="btn btn-danger-outline" id="delete-unit"
          onClick=${() => { setDeleteError(null); setConfirming(true); }}>${t('common.delete')}</button>` : null}
      </div>
    </div>
    ${stale ? html`<${ErrorBox} error=${stale} title=${t('unitPage.staleDelete')}>
      <button type="button" class="btn" onClick=${load}>${t('common.reload')}</button></${ErrorBox}>` : null}
    ${hidden ? html`<${Notice} kind="warn"><span id="personal-hidden">${t('unitPage.personalHidden')}</span></${Notice}>` : null}
    <${Tabs} tabs=${tabs} active=${tab} onSelect=${setTab} />
    <div class="tab-body" role="tabpanel" aria-labelledby=${`tab-${tab}`}>
      ${tab === 'basic' ? html`<${BasicInfo} unit=${unit} />` : null}
      ${tab === 'contacts' ? personalTab(html`<${Contacts} unit=${unit} roles=${roles} />`) : null}
      ${tab === 'offices' ? html`<${Offices} unit=${unit} />` : null}
      ${tab === 'staff' ? personalTab(html`<${Staff} unit=${unit} />`) : null}
      ${tab === 'capabilities' ? html`<${Capabilities} unit=${unit} fields=${fields} />` : null}
      ${tab === 'oncall' ? personalTab(html`<${Oncall} unit=${unit} />`) : null}
      ${tab === 'record' ? html`<${UnitRecord} user=${user} unitId=${unit.id} />` : null}
      ${tab === 'certificates' ? html`<section class="panel" id="section-certificates"><${CertificateTable} unitId=${unit.id} filters=${false} /></section>` : null}
      ${tab === 'history' ? html`<${History} id=${unit.id} />` : null}
    </div>
    ${confirming
      ? html`<${ConfirmDialog}
          title=${t('unitPage.deleteTitle')}
          message=${t('unitPage.deleteConfirm', { name: unit.name })}
          confirmLabel=${t('common.delete')}
          danger=${true}
          busy=${deleting}
          error=${deleteError}
          onCancel=${() => setConfirming(false)}
          onConfirm=${doDelete}
        />`
      : null}
  </div>`;
}

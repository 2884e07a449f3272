// pages/users.js - user accounts: list with role filter, create, disable/enable,
// reset password (authority); read-only for the auditor.
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, roleName, localizeMessage } from '../i18n.js';
import { can, ROLES } from '../auth.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Notice, Field, Modal, ConfirmDialog, EmptyRow, RoleBadge, fieldMessage } from '../components/ui.js';

const PAGE = 50;

// All units (id -> name), for the unit select and the unit column.
async function loadAllUnits() {
  const out = [];
  let cursor;
  for (let i = 0; i < 50; i++) {
    const { data } = await api.get('/api/v1/units', { limit: 200, cursor });
    out.push(...data.items);
    if (!data.next_cursor) break;
    cursor = data.next_cursor;
  }
  return out;
}

function CreateUserDialog({ units, onClose, onCreated }) {
  const [f, setF] = useState({ username: '', display_name: '', role: 'unit', unit_id: '', password: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k, v) => {
    setF((x) => ({ ...x, [k]: v }));
    if (error && error.field === k) setError(null);
  };
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body = { username: f.username.trim(), role: f.role, password: f.password };
    if (f.display_name.trim()) body.display_name = f.display_name.trim();
    if (f.role === 'unit' && f.unit_id) body.unit_id = Number(f.unit_id);
    try {
      const { data } = await api.post('/api/v1/users', body);
      onCreated(data);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const msg = (k) => fieldMessage(error, k);
  const known = ['username', 'display_name', 'role', 'unit_id', 'password'];
  return html`<${Modal} title=${t('users.new')} onClose=${onClose}>
    <form id="user-form" onSubmit=${submit} novalidate>
      ${error && !known.includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
      ${error && known.includes(error.field)
        ? html`<${ErrorBox} error=${error} title=${`${errorLabel(error.field)}：${localizeMessage(error.message)}`} />`
        : null}
      <div class="form-grid form-grid-2">
        <${Field} id="u-username" label=${t('users.username')} required=${true} error=${msg('username')} hint=${t('users.usernameHint')}>
          <input id="u-username" autocomplete="off" value=${f.username} onInput=${(e) => set('username', e.target.value)} />
        </${Field}>
        <${Field} id="u-display_name" label=${t('users.display_name')} error=${msg('display_name')}>
          <input id="u-display_name" value=${f.display_name} onInput=${(e) => set('display_name', e.target.value)} />
        </${Field}>
        <${Field} id="u-role" label=${t('users.role')} required=${true} error=${msg('role')}>
          <select id="u-role" value=${f.role} onChange=${(e) => set('role', e.target.value)}>
            ${ROLES.map((r) => html`<option key=${r} value=${r}>${roleName(r)}</option>`)}
          </select>
        </${Field}>
        ${f.role === 'unit'
          ? html`<${Field} id="u-unit_id" label=${t('users.unit')} required=${true} error=${msg('unit_id')}>
              <select id="u-unit_id" value=${f.unit_id} onChange=${(e) => set('unit_id', e.target.value)}>
                <option value="">${t('form.selectPlaceholder')}</option>
                ${units.map((u) => html`<option key=${u.id} value=${String(u.id)}>${u.name}</option>`)}
              </select>
            </${Field}>`
          : html`<div></div>`}
        <${Field} id="u-password" label=${t('users.password')} required=${true} error=${msg('password')} hint=${t('users.passwordHint')}>
          <input id="u-password" type="password" autocomplete="new-password" value=${f.password}
            onInput=${(e) => set('password', e.target.value)} />
        </${Field}>
      </div>
      <div class="modal-foot">
        <button type="button" class="btn" onClick=${onClose}>${t('common.cancel')}</button>
        <button type="submit" class="btn btn-primary" id="user-save" disabled=${busy}>${t('common.save')}</button>
      </div>
    </form>
  </${Modal}>`;
}

function errorLabel(field) {
  return t(`users.${field}`);
}

function ResetPasswordDialog({ target, onClose, onDone }) {
  const [pw, setPw] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/users/${target.id}/password`, { new_password: pw });
      onDone();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  const msg = fieldMessage(error, 'new_password');
  return html`<${Modal} title=${t('users.resetTitle', { name: target.username })} onClose=${onClose}>
    <form onSubmit=${submit} novalidate>
      <p class="hint">${t('users.resetHint')}</p>
      <input type="text" class="visually-hidden" autocomplete="username" value=${target.username} readonly tabindex="-1" aria-hidden="true" />
      ${error && !msg ? html`<${ErrorBox} error=${error} />` : null}
      <${Field} id="reset-password" label=${t('users.new_password')} required=${true} error=${msg} hint=${t('users.passwordHint')}>
        <input id="reset-password" type="password" autocomplete="new-password" value=${pw} onInput=${(e) => setPw(e.target.value)} />
      </${Field}>
      <div class="modal-foot">
        <button type="button" class="btn" onClick=${onClose}>${t('common.cancel')}</button>
        <button type="submit" class="btn btn-primary" disabled=${busy}>${t('users.resetPassword')}</button>
      </div>
    </form>
  </${Modal}>`;
}

export function UsersPage({ user }) {
  const manage = can.manageUsers(user);
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [filter, setFilter] = useState({ q: '', role: '' });
  const [items, setItems] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(null);
  const [units, setUnits] = useState([]);
  const [dialog, setDialog] = useState(null); // {kind: 'create'|'reset'|'disable', user}
  const [actionError, setActionError] = useState(null);
  const [notice, setNotice] = useState(null);
  const seq = useRef(0);

  const load = async (after) => {
    const my = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const { data } = await api.get('/api/v1/users', { q: filter.q, role: filter.role, limit: PAGE, cursor: after || undefined });
      if (my !== seq.current) return;
      setItems((prev) => (after ? prev.concat(data.items) : data.items));
      setCursor(data.next_cursor);
    } catch (e) {
      if (my === seq.current) setError(e);
    } finally {
      if (my === seq.current) setLoading(false);
    }
  };

  useEffect(() => {
    load(null);
  }, [filter]);
  useEffect(() => {
    loadAllUnits().then(setUnits, () => {});
  }, []);

  const unitName = (id) => {
    const u = units.find((x) => x.id === id);
    return u ? u.name : `#${id}`;
  };

  const setDisabled = async (target, disabled) => {
    setActionError(null);
    setNotice(null);
    try {
      const { data } = await api.patch(`/api/v1/users/${target.id}`, { disabled });
      setItems((prev) => prev.map((u) => (u.id === data.id ? data : u)));
      setDialog(null);
    } catch (e) {
      setActionError(e);
      setDialog(null);
    }
  };

  return html`<div class="page">
    <div class="page-head">
      <h2>${t('users.title')}</h2>
      ${manage ? html`<button type="button" class="btn btn-primary" id="new-user"
        onClick=${() => { setNotice(null); setDialog({ kind: 'create' }); }}>＋ ${t('users.new')}</button>` : null}
    </div>
    ${!manage ? html`<${Notice}>${t('users.readOnly')}</${Notice}>` : null}
    ${notice ? html`<${Notice} kind="ok">${notice}</${Notice}>` : null}
    <${ErrorBox} error=${actionError} />
    <form class="filters" role="search" onSubmit=${(e) => { e.preventDefault(); setFilter({ q: q.trim(), role }); }}>
      <input type="search" class="filter-q" placeholder=${t('users.searchPlaceholder')} aria-label=${t('users.searchPlaceholder')}
        value=${q} onInput=${(e) => setQ(e.target.value)} />
      <select id="users-role" aria-label=${t('users.role')} value=${role}
        onChange=${(e) => { setRole(e.target.value); setFilter({ q: q.trim(), role: e.target.value }); }}>
        <option value="">${t('users.allRoles')}</option>
        ${ROLES.map((r) => html`<option key=${r} value=${r}>${roleName(r)}</option>`)}
      </select>
      <button type="submit" class="btn btn-primary">${t('common.search')}</button>
    </form>
    <${ErrorBox} error=${error} />
    <div class="table-wrap">
      <table class="table" id="users-table">
        <thead><tr>
          <th>${t('users.username')}</th><th>${t('users.display_name')}</th><th>${t('users.role')}</th>
          <th>${t('users.unit')}</th><th>${t('users.status')}</th><th>${t('users.created_at')}</th>
          ${manage ? html`<th>${t('common.actions')}</th>` : null}
        </tr></thead>
        <tbody>
          ${items.map((u) => {
            const locked = u.locked_until && Date.parse(u.locked_until) > Date.now();
            return html`<tr key=${u.id} data-username=${u.username}>
              <td class="mono">${u.username}${u.id === user.id ? html`<span class="muted">${t('users.self')}</span>` : null}</td>
              <td>${u.display_name || ''}</td>
              <td><${RoleBadge} role=${u.role} /></td>
              <td>${u.unit_id ? html`<a href=${`#/units/${u.unit_id}`}>${unitName(u.unit_id)}</a>` : ''}</td>
              <td>
                ${u.disabled ? html`<span class="badge badge-muted">${t('users.disabled')}</span>` : html`<span class="badge badge-ok">${t('users.enabled')}</span>`}
                ${locked ? html` <span class="badge badge-warn">${t('users.lockedUntil', { t: fmtTime(u.locked_until) })}</span>` : null}
              </td>
              <td class="nowrap">${fmtTime(u.created_at)}</td>
              ${manage
                ? html`<td class="nowrap"><div class="row-actions">
                    ${u.id === user.id
                      ? null
                      : u.disabled
                        ? html`<button type="button" class="btn btn-small" onClick=${() => setDisabled(u, false)}>${t('users.enable')}</button>`
                        : html`<button type="button" class="btn btn-small" onClick=${() => setDialog({ kind: 'disable', user: u })}>${t('users.disable')}</button>`}
                    <button type="button" class="btn btn-small" onClick=${() => { setNotice(null); setDialog({ kind: 'reset', user: u }); }}>${t('users.resetPassword')}</button>
                  </div></td>`
                : null}
            </tr>`;
          })}
          ${!loading && !error && items.length === 0 ? html`<${EmptyRow} cols=${manage ? 7 : 6} />` : null}
        </tbody>
      </table>
    </div>
    <div class="list-foot">
      <span class="muted">${items.length ? t('common.total', { n: items.length }) : ''}</span>
      ${loading ? html`<span class="muted">${t('common.loading')}</span>` : null}
      ${cursor && !loading ? html`<button type="button" class="btn" onClick=${() => load(cursor)}>${t('common.loadMore')}</button>` : null}
    </div>
    ${dialog && dialog.kind === 'create'
      ? html`<${CreateUserDialog} units=${units} onClose=${() => setDialog(null)}
          onCreated=${(u) => { setDialog(null); setNotice(`${t('users.created')}：${u.username}`); load(null); }} />`
      : null}
    ${dialog && dialog.kind === 'reset'
      ? html`<${ResetPasswordDialog} target=${dialog.user} onClose=${() => setDialog(null)}
          onDone=${() => { setNotice(`${t('users.resetDone')}：${dialog.user.username}`); setDialog(null); load(null); }} />`
      : null}
    ${dialog && dialog.kind === 'disable'
      ? html`<${ConfirmDialog} title=${t('users.disable')} message=${t('users.disableConfirm', { name: dialog.user.username })}
          confirmLabel=${t('users.disable')} danger=${true}
          onCancel=${() => setDialog(null)} onConfirm=${() => setDisabled(dialog.user, true)} />`
      : null}
  </div>`;
}

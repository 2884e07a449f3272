// pages/account.js - the signed-in user's account: change password, API tokens.
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime, dayStartUtc, todayCst } from '../format.js';
import { ErrorBox, Notice, Field, InfoGrid, RoleBadge, EmptyRow, ConfirmDialog, fieldMessage } from '../components/ui.js';

function PasswordForm() {
  const [f, setF] = useState({ current_password: '', new_password: '', confirm_password: '' });
  const [error, setError] = useState(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (k, v) => {
    setF((x) => ({ ...x, [k]: v }));
    setDone(false);
    if (error && error.field === k) setError(null);
  };
  const submit = async (e) => {
    e.preventDefault();
    setDone(false);
    if (f.new_password !== f.confirm_password) {
      setError({ code: 'invalid', field: 'confirm_password', message: t('account.mismatch'), local: true });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.put('/api/v1/session/password', { current_password: f.current_password, new_password: f.new_password });
      setF({ current_password: '', new_password: '', confirm_password: '' });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const msg = (k) => (error && error.local ? (error.field === k ? error.message : '') : fieldMessage(error, k));
  const known = error && ['current_password', 'new_password', 'confirm_password'].includes(error.field);
  return html`<section class="panel">
    <h3>${t('account.changePassword')}</h3>
    ${done ? html`<${Notice} kind="ok">${t('account.passwordChanged')}</${Notice}>` : null}
    ${error && !known ? html`<${ErrorBox} error=${error} />` : null}
    <form onSubmit=${submit} novalidate class="form-narrow">
      <input type="text" class="visually-hidden" autocomplete="username" aria-hidden="true" tabindex="-1" />
      ${['current_password', 'new_password', 'confirm_password'].map((k) => html`<${Field} key=${k} id=${`pw-${k}`}
          label=${t(`account.${k}`)} required=${true} error=${msg(k)} hint=${k === 'new_password' ? t('users.passwordHint') : null}>
        <input id=${`pw-${k}`} type="password" value=${f[k]}
          autocomplete=${k === 'current_password' ? 'current-password' : 'new-password'}
          onInput=${(e) => set(k, e.target.value)} />
      </${Field}>`)}
      <div class="form-actions-inline">
        <button type="submit" class="btn btn-primary" id="pw-save" disabled=${busy}>${t('account.changePassword')}</button>
      </div>
    </form>
  </section>`;
}

function tokenStatus(tok) {
  if (tok.revoked_at) return html`<span class="badge badge-muted">${t('account.revoked')}</span>`;
  if (tok.expires_at && Date.parse(tok.expires_at) <= Date.now()) {
    return html`<span class="badge badge-warn">${t('account.expired')}</span>`;
  }
  return html`<span class="badge badge-ok">${t('account.active')}</span>`;
}

function Tokens({ user }) {
  const [items, setItems] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [error, setError] = useState(null);
  const [name, setName] = useState('');
  const [expires, setExpires] = useState('');
  const [createError, setCreateError] = useState(null);
  const [created, setCreated] = useState(null);
  const [copied, setCopied] = useState(false);
  const [revoking, setRevoking] = useState(null);
  const [busy, setBusy] = useState(false);
  const tokenRef = useRef(null);
  const all = can.seeAllTokens(user);
  const [owners, setOwners] = useState({});

  const load = async (after) => {
    setError(null);
    try {
      const { data } = await api.get('/api/v1/tokens', { limit: 50, cursor: after || undefined });
      setItems((prev) => (after ? prev.concat(data.items) : data.items));
      setCursor(data.next_cursor);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load(null);
    if (all) {
      api.get('/api/v1/users', { limit: 200 }).then(
        ({ data }) => setOwners(Object.fromEntries(data.items.map((u) => [u.id, u.username]))),
        () => {},
      );
    }
  }, []);

  const create = async (e) => {
    e.preventDefault();
    setBusy(true);
    setCreateError(null);
    setCreated(null);
    setCopied(false);
    const body = { name: name.trim() };
    if (expires) body.expires_at = dayStartUtc(expires, 1);
    try {
      const { data } = await api.post('/api/v1/tokens', body);
      setCreated(data);
      setName('');
      setExpires('');
      load(null);
    } catch (err) {
      setCreateError(err);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied(true);
    } catch (e) {
      // Clipboard refused: select the text so Ctrl+C works.
      if (tokenRef.current) {
        const range = document.createRange();
        range.selectNodeContents(tokenRef.current);
        const sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
    }
  };

  const revoke = async () => {
    try {
      await api.del(`/api/v1/tokens/${revoking.id}`);
      setRevoking(null);
      load(null);
    } catch (e) {
      setRevoking(null);
      setError(e);
    }
  };

  const fmsg = (k) => fieldMessage(createError, k);
  const mine = (tok) => tok.user_id === user.id;

  return html`<section class="panel">
    <h3>${t('account.tokens')}</h3>
    <p class="hint">${t('account.tokensHint')}</p>
    <form class="form-grid form-grid-3 token-form" onSubmit=${create} novalidate>
      <${Field} id="token-name" label=${t('account.tokenName')} required=${true} error=${fmsg('name')}>
        <input id="token-name" value=${name} maxlength="100" onInput=${(e) => setName(e.target.value)} />
      </${Field}>
      <${Field} id="token-expires" label=${t('account.tokenExpires')} error=${fmsg('expires_at')}>
        <input id="token-expires" type="date" min=${todayCst()} value=${expires} onInput=${(e) => setExpires(e.target.value)} />
      </${Field}>
      <div class="field field-button">
        <button type="submit" class="btn btn-primary" id="token-create" disabled=${busy}>${t('account.createToken')}</button>
      </div>
    </form>
    ${createError && !fmsg('name') && !fmsg('expires_at') ? html`<${ErrorBox} error=${createError} />` : null}
    ${created
      ? html`<div class="alert alert-ok token-once" role="status">
          <div class="alert-title">${t('account.tokenOnce')}</div>
          <div class="token-box">
            <code id="token-value" ref=${tokenRef}>${created.token}</code>
            <button type="button" class="btn btn-small" id="token-copy" onClick=${copy}>${copied ? t('common.copied') : t('common.copy')}</button>
          </div>
        </div>`
      : null}
    <${ErrorBox} error=${error} />
    <div class="table-wrap">
      <table class="table" id="tokens-table">
        <thead><tr>
          <th>${t('account.tokenName')}</th><th>${t('account.prefix')}</th>
          ${all ? html`<th>${t('account.owner')}</th>` : null}
          <th>${t('account.created_at')}</th><th>${t('account.last_used_at')}</th><th>${t('account.expires_at')}</th>
          <th>${t('account.status')}</th><th>${t('common.actions')}</th>
        </tr></thead>
        <tbody>
          ${items.map((tok) => html`<tr key=${tok.id}>
            <td>${tok.name}</td><td class="mono">${tok.prefix}…</td>
            ${all ? html`<td>${owners[tok.user_id] || (mine(tok) ? user.username : `#${tok.user_id}`)}</td>` : null}
            <td class="nowrap">${fmtTime(tok.created_at)}</td>
            <td class="nowrap">${tok.last_used_at ? fmtTime(tok.last_used_at) : html`<span class="muted">${t('account.never')}</span>`}</td>
            <td class="nowrap">${tok.expires_at ? fmtTime(tok.expires_at) : html`<span class="muted">${t('account.noExpiry')}</span>`}</td>
            <td>${tokenStatus(tok)}</td>
            <td>${!tok.revoked_at && (mine(tok) || user.role === 'authority')
              ? html`<button type="button" class="btn btn-small btn-danger-outline" onClick=${() => setRevoking(tok)}>${t('account.revoke')}</button>`
              : null}</td>
          </tr>`)}
          ${items.length === 0 ? html`<${EmptyRow} cols=${all ? 8 : 7} />` : null}
        </tbody>
      </table>
    </div>
    ${cursor ? html`<button type="button" class="btn" onClick=${() => load(cursor)}>${t('common.loadMore')}</button>` : null}
    ${revoking
      ? html`<${ConfirmDialog} title=${t('account.revoke')} message=${t('account.revokeConfirm', { name: revoking.name })}
          confirmLabel=${t('account.revoke')} danger=${true} onCancel=${() => setRevoking(null)} onConfirm=${revoke} />`
      : null}
  </section>`;
}

export function AccountPage({ user }) {
  const [unitName, setUnitName] = useState('');
  useEffect(() => {
    if (user.unit_id) api.get(`/api/v1/units/${user.unit_id}`).then((r) => setUnitName(r.data.name), () => {});
  }, [user.unit_id]);
  return html`<div class="page">
    <div class="page-head"><h2>${t('account.title')}</h2></div>
    <section class="panel">
      <h3>${t('account.profile')}</h3>
      <${InfoGrid} items=${[
        [t('users.username'), html`<span class="mono">${user.username}</span>`],
        [t('users.display_name'), user.display_name],
        [t('users.role'), html`<${RoleBadge} role=${user.role} />`],
        ...(user.unit_id ? [[t('users.unit'), html`<a href=${`#/units/${user.unit_id}`}>${unitName || `#${user.unit_id}`}</a>`]] : []),
      ]} />
    </section>
    <${PasswordForm} />
    <${Tokens} user=${user} />
  </div>`;
}

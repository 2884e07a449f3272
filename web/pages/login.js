// pages/login.js - username and password; a clear message when it fails.
import { html, useState } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { ErrorBox, Notice } from '../components/ui.js';

export function LoginPage({ onLogin, notice }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  const submit = async (e) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError({ code: 'invalid', title: t('login.missing') });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const s = await api.login(username.trim(), password);
      onLogin(s);
    } catch (err) {
      setPassword('');
      // Every failed login is the same 401 (wrong name, wrong password, locked or disabled).
      setError(err.status === 401 ? { code: err.code, title: t('login.failed') } : err);
      setBusy(false);
    }
  };

  return html`<main class="login-wrap">
    <form class="login-card" onSubmit=${submit} novalidate>
      <div class="login-emblem" aria-hidden="true">应急</div>
      <h1>${t('login.title')}</h1>
      <p class="muted">${t('login.subtitle')}</p>
      ${notice && !error ? html`<${Notice} kind="warn">${t(notice)}</${Notice}>` : null}
      ${error ? html`<${ErrorBox} error=${error.title ? null : error} title=${error.title} />` : null}
      <div class="field">
        <label for="login-username">${t('login.username')}</label>
        <input id="login-username" name="username" autocomplete="username" autofocus
          value=${username} onInput=${(e) => setUsername(e.target.value)} />
      </div>
      <div class="field">
        <label for="login-password">${t('login.password')}</label>
        <input id="login-password" name="password" type="password" autocomplete="current-password"
          value=${password} onInput=${(e) => setPassword(e.target.value)} />
      </div>
      <button type="submit" class="btn btn-primary btn-block" id="login-submit" disabled=${busy}>
        ${busy ? t('login.submitting') : t('login.submit')}
      </button>
    </form>
  </main>`;
}

// app.js - start-up, session, hash routing and the page frame.
import { html, render, useState, useEffect, useCallback } from './vendor/standalone.module.js';
import * as api from './api.js';
import { t, getLang, setLang } from './i18n.js';
import { can, homeRoute } from './auth.js';
import { parseRoute, navigate } from './router.js';
import { ErrorBox, Loading, RoleBadge } from './components/ui.js';
import { LoginPage } from './pages/login.js';
import { UnitsPage } from './pages/units.js';
import { UnitPage } from './pages/unit.js';
import { UnitFormPage } from './pages/unitform.js';
import { UsersPage } from './pages/users.js';
import { AuditPage } from './pages/audit.js';
import { AccountPage } from './pages/account.js';

function Header({ user, onLogout }) {
  const [, force] = useState(0);
  const switchLang = (lang) => {
    if (lang === getLang()) return;
    setLang(lang);
    force((n) => n + 1);
    window.dispatchEvent(new Event('yj-lang'));
  };
  const lang = getLang();
  return html`<header class="topbar">
    <a class="brand" href=${user ? homeRoute(user) : '#/login'}>
      <span class="brand-mark" aria-hidden="true">应急</span>
      <span class="brand-text">
        <span class="brand-title">${t('app.title')}</span>
        <span class="brand-sub">yingji</span>
      </span>
    </a>
    <div class="topbar-right">
      ${user
        ? html`<span class="whoami">
            <span class="whoami-name">${user.display_name || user.username}</span>
            <${RoleBadge} role=${user.role} />
          </span>`
        : null}
      <div class="lang-switch" id="lang-switch" role="group" aria-label="Language / 语言">
        <button type="button" id="lang-zh" lang="zh-CN" class=${lang === 'zh' ? 'active' : ''}
          aria-pressed=${lang === 'zh' ? 'true' : 'false'} onClick=${() => switchLang('zh')}>中文</button>
        <button type="button" id="lang-en" lang="en" class=${lang === 'en' ? 'active' : ''}
          aria-pressed=${lang === 'en' ? 'true' : 'false'} onClick=${() => switchLang('en')}>English</button>
      </div>
      ${user
        ? html`<button type="button" class="btn-top" id="logout" onClick=${onLogout}>${t('nav.logout')}</button>`
        : null}
    </div>
  </header>`;
}

function Nav({ user, route }) {
  const items = [];
  if (user.role === 'unit') {
    items.push({ href: `#/units/${user.unit_id}`, label: t('nav.myUnit'), id: 'nav-my-unit',
      active: route.name.startsWith('unit') });
  } else {
    items.push({ href: '#/units', label: t('nav.units'), id: 'nav-units',
      active: route.name.startsWith('unit') });
  }
  if (can.viewUsers(user)) {
    items.push({ href: '#/users', label: t('nav.users'), id: 'nav-users', active: route.name === 'users' });
  }
  if (can.viewAudit(user)) {
    items.push({ href: '#/audit', label: t('nav.audit'), id: 'nav-audit', active: route.name === 'audit' });
  }
  items.push({ href: '#/account', label: t('nav.account'), id: 'nav-account', active: route.name === 'account' });
  return html`<nav class="sidenav" aria-label=${t('nav.main')}>
    <ul>
      ${items.map(
        (it) => html`<li key=${it.id}><a id=${it.id} href=${it.href}
          class=${it.active ? 'active' : ''} aria-current=${it.active ? 'page' : undefined}>${it.label}</a></li>`,
      )}
    </ul>
  </nav>`;
}

function Forbidden() {
  return html`<div class="page"><${ErrorBox} title=${t('page.forbidden')} />
    <a class="btn" href="#/">${t('page.toHome')}</a></div>`;
}

function NotFound() {
  return html`<div class="page"><${ErrorBox} title=${t('page.notFound')} />
    <a class="btn" href="#/">${t('page.toHome')}</a></div>`;
}

function Page({ route, user, onUserChange }) {
  const { name, params } = route;
  switch (name) {
    case 'units':
      return html`<${UnitsPage} user=${user} />`;
    case 'unitNew':
      return can.createUnit(user) ? html`<${UnitFormPage} user=${user} key="new" />` : html`<${Forbidden} />`;
    case 'unit':
      return html`<${UnitPage} user=${user} id=${params.id} key=${`u${params.id}`} />`;
    case 'unitEdit':
      return can.editUnit(user, params.id)
        ? html`<${UnitFormPage} user=${user} id=${params.id} key=${`e${params.id}`} />`
        : html`<${Forbidden} />`;
    case 'users':
      return can.viewUsers(user) ? html`<${UsersPage} user=${user} />` : html`<${Forbidden} />`;
    case 'audit':
      return can.viewAudit(user) ? html`<${AuditPage} user=${user} />` : html`<${Forbidden} />`;
    case 'account':
      return html`<${AccountPage} user=${user} onUserChange=${onUserChange} />`;
    default:
      return html`<${NotFound} />`;
  }
}

function App() {
  const [route, setRoute] = useState(parseRoute(location.hash));
  const [session, setSession] = useState(undefined); // undefined: still asking the server
  const [bootError, setBootError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [, setLangTick] = useState(0);

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    const onLang = () => setLangTick((n) => n + 1);
    window.addEventListener('hashchange', onHash);
    window.addEventListener('yj-lang', onLang);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('yj-lang', onLang);
    };
  }, []);

  const loadSession = useCallback(() => {
    setBootError(null);
    api.currentSession().then(
      (s) => setSession(s),
      (e) => setBootError(e),
    );
  }, []);

  useEffect(() => {
    loadSession();
    api.setUnauthenticatedHandler(() => {
      api.setCsrfToken(null);
      setSession(null);
      setNotice('login.expired');
    });
  }, []);

  // Redirects: to the login page without a session, away from it with one.
  useEffect(() => {
    if (session === undefined) return;
    if (!session && route.name !== 'login') {
      if (route.name !== 'home') sessionStorage.setItem('yj.returnTo', location.hash);
      navigate('#/login');
    } else if (session && (route.name === 'login' || route.name === 'home')) {
      navigate(homeRoute(session.user));
    }
  }, [session, route.name]);

  const onLogin = (s) => {
    setSession(s);
    setNotice(null);
    let back = sessionStorage.getItem('yj.returnTo');
    sessionStorage.removeItem('yj.returnTo');
    if (!back || back.startsWith('#/login')) back = homeRoute(s.user);
    navigate(back);
  };

  const onLogout = async () => {
    try {
      await api.logout();
    } catch (e) {
      /* the session is gone either way */
    }
    sessionStorage.removeItem('yj.returnTo');
    setSession(null);
    setNotice(null);
    navigate('#/login');
  };

  const onUserChange = (user) => setSession((s) => ({ ...s, user }));

  if (bootError) {
    return html`<div class="app">
      <${Header} user=${null} />
      <main class="content content-narrow"><${ErrorBox} error=${bootError}>
        <button type="button" class="btn" onClick=${loadSession}>${t('common.reload')}</button>
      </${ErrorBox}></main>
    </div>`;
  }
  if (session === undefined) {
    return html`<div class="app"><${Header} user=${null} /><${Loading} /></div>`;
  }
  if (!session || route.name === 'login' || route.name === 'home') {
    if (session) return html`<div class="app"><${Header} user=${session.user} onLogout=${onLogout} /><${Loading} /></div>`;
    return html`<div class="app app-login">
      <${Header} user=${null} />
      <${LoginPage} onLogin=${onLogin} notice=${notice} />
    </div>`;
  }
  return html`<div class="app">
    <${Header} user=${session.user} onLogout=${onLogout} />
    <div class="shell">
      <${Nav} user=${session.user} route=${route} />
      <main class="content" id="main">
        <${Page} route=${route} user=${session.user} onUserChange=${onUserChange} />
      </main>
    </div>
  </div>`;
}

setLang(getLang());
render(html`<${App} />`, document.getElementById('app'));

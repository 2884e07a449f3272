// app.js - start-up, session, hash routing and the page frame.
import { html, render, useState, useEffect, useCallback } from './vendor/standalone.module.js';
import * as api from './api.js';
import { t, getLang, setLang } from './i18n.js';
import { can, homeRoute } from './auth.js';
import { currentRoute, navigate } from './router.js';
import { ErrorBox, Loading, RoleBadge } from './components/ui.js';
import { LoginPage } from './pages/login.js';
import { UnitsPage } from './pages/units.js';
import { UnitPage } from './pages/unit.js';
import { UnitFormPage } from './pages/unitform.js';
import { UsersPage } from './pages/users.js';
import { AuditPage } from './pages/audit.js';
import { AccountPage } from './pages/account.js';
import { CampaignsPage } from './pages/campaigns.js';
import { CampaignFormPage } from './pages/campaignform.js';
import { CampaignPage } from './pages/campaign.js';
import { ApplicationPage } from './pages/application.js';
import { CoverPage } from './pages/cover.js';
import { SecurityQueuePage, SecurityViewPage } from './pages/security.js';
import { ReviewsPage } from './pages/reviews.js';
import { CertificatesPage, CertificatePage } from './pages/certificates.js';
import { RequalsPage, RequalPage } from './pages/requal.js';
import { WorklogPage } from './pages/worklog.js';
import { ObligationsPage, ObligationsUnitPage } from './pages/obligations.js';
import { DrillsPage, DrillPage } from './pages/drills.js';
import { IncidentsPage } from './pages/incidents.js';
import { IncidentPage } from './pages/incident.js';
import { IncidentFormPage } from './pages/incidentform.js';
import { DispatchesPage, DispatchPage } from './pages/dispatches.js';
import { ReferencePage } from './pages/reference.js';
import { NotificationBell, NotificationsPage } from './components/notifications.js';
import { ThreatsPage } from './pages/threats.js';
import { ThreatPage } from './pages/threat.js';
import { ThreatFormPage } from './pages/threatform.js';
import { DisposalsPage, DisposalPage } from './pages/threatnotices.js';
import { WarningsPage, BulletinsPage } from './pages/threatwarnings.js';
import { WarningPage, WarningFormPage } from './pages/threatwarning.js';
import { IndicatorsPage } from './pages/intelindicators.js';
import { IndicatorPage } from './pages/intelindicator.js';
import { IndicatorImportPage } from './pages/intelimport.js';
import { WarningListsPage } from './pages/intelwarninglists.js';
import { FeedsPage } from './pages/intelfeeds.js';
import { ConstituentsPage } from './pages/intelconstituents.js';
import { ConstituentPage, ConstituentFormPage } from './pages/intelconstituent.js';

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
      ${user ? html`<${NotificationBell} user=${user} key=${user.username} />` : null}
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
  const add = (id, href, label, active) => items.push({ id, href, label, active });
  const n = route.name;
  const unitActive = n.startsWith('unit');
  const selection = n.startsWith('campaign') || n.startsWith('application');
  if (user.role === 'security_reviewer') add('nav-security', '#/security', t('nav.security'), n === 'security' || selection);
  if (user.role === 'expert') add('nav-reviews', '#/reviews', t('nav.reviews'), n === 'reviews' || selection);
  if (user.role === 'unit') {
    add('nav-my-unit', `#/units/${user.unit_id}`, t('nav.myUnit'), unitActive);
    add('nav-campaigns', '#/campaigns', t('nav.applyCampaigns'), selection);
    add('nav-certificates', '#/certificates', t('nav.myCertificates'), n.startsWith('certificate') || n.startsWith('requal'));
  } else {
    if (can.seeDraftCampaigns(user)) add('nav-campaigns', '#/campaigns', t('nav.campaigns'), selection);
    add('nav-units', '#/units', t('nav.units'), unitActive);
    if (can.readCertificates(user)) add('nav-certificates', '#/certificates', t('nav.certificates'), n.startsWith('certificate'));
    if (can.readRequal(user)) add('nav-requal', '#/requalification', t('nav.requal'), n.startsWith('requal'));
  }
  // Incidents and dispatch: the authority's and auditor's board, a unit's inbox.
  const incidents = n.startsWith('incident') || n.startsWith('dispatch');
  if (user.role === 'unit') add('nav-dispatches', '#/dispatches', t('nav.dispatches'), incidents);
  else if (can.viewIncidentBoard(user)) add('nav-incidents', '#/incidents', t('nav.incidents'), incidents);
  // Threat intelligence: reports and their disposal notices, warnings and bulletins,
  // the indicator store (with its import, warning lists and feeds), the constituency.
  if (can.readThreats(user)) add('nav-threats', '#/threats', t('nav.threats'), n.startsWith('threat'));
  if (can.readDisposals(user) && user.role !== 'unit') add('nav-disposals', '#/disposals', t('nav.disposals'), n.startsWith('disposal'));
  if (can.readWarnings(user)) add('nav-early-warnings', '#/early-warnings', t('nav.earlyWarnings'), n.startsWith('earlyWarning'));
  if (can.readBulletins(user)) add('nav-bulletins', '#/bulletins', t('nav.bulletins'), n === 'bulletins');
  if (can.readIndicators(user)) add('nav-indicators', '#/indicators', t('nav.indicators'), n.startsWith('indicator') || n.startsWith('intel'));
  if (can.readConstituents(user)) add('nav-constituents', '#/constituents', t('nav.constituents'), n.startsWith('constituent'));
  // The work record: a unit's own log first, the authority's overview first.
  const work = [
    ['nav-worklog', '#/worklog', 'nav.worklog', n === 'worklog'],
    ['nav-obligations', '#/obligations', 'nav.obligations', n.startsWith('obligations')],
    ['nav-drills', '#/drills', 'nav.drills', n.startsWith('drill')],
  ];
  if (user.role !== 'unit') work.push(work.shift());
  if (can.readWorklog(user)) for (const [id, href, key, on] of work) add(id, href, t(key), on);
  if (can.viewUsers(user)) add('nav-users', '#/users', t('nav.users'), n === 'users');
  if (can.manageIncidentReference(user)) add('nav-reference', '#/reference/incidents', t('nav.reference'), n === 'referenceIncidents');
  if (can.viewAudit(user)) add('nav-audit', '#/audit', t('nav.audit'), n === 'audit');
  add('nav-account', '#/account', t('nav.account'), n === 'account');
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
  const { name, params, query } = route;
  const gate = (ok, page) => (ok ? page : html`<${Forbidden} />`);
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
    case 'campaigns':
      return gate(can.viewCampaigns(user), html`<${CampaignsPage} user=${user} />`);
    case 'campaignNew':
      return gate(can.manageCampaigns(user), html`<${CampaignFormPage} user=${user} key="new" />`);
    case 'campaign':
      return gate(can.viewCampaigns(user), html`<${CampaignPage} user=${user} id=${params.id} query=${query} key=${`c${params.id}`} />`);
    case 'campaignEdit':
      return gate(can.manageCampaigns(user), html`<${CampaignFormPage} user=${user} id=${params.id} key=${`ce${params.id}`} />`);
    case 'application':
      return gate(can.readApplication(user), html`<${ApplicationPage} user=${user} id=${params.id} query=${query} key=${`a${params.id}`} />`);
    case 'applicationCover':
      return gate(can.readApplication(user), html`<${CoverPage} user=${user} id=${params.id} key=${`ac${params.id}`} />`);
    case 'applicationSecurity':
      return gate(can.securityView(user), html`<${SecurityViewPage} user=${user} id=${params.id} key=${`as${params.id}`} />`);
    case 'security':
      return gate(can.decideSecurity(user), html`<${SecurityQueuePage} user=${user} />`);
    case 'reviews':
      return gate(can.score(user), html`<${ReviewsPage} user=${user} />`);
    case 'certificates':
      return gate(can.readCertificates(user), html`<${CertificatesPage} user=${user} />`);
    case 'certificate':
      return gate(can.readCertificates(user), html`<${CertificatePage} user=${user} id=${params.id} key=${`ct${params.id}`} />`);
    case 'requals':
      return gate(can.readRequal(user), html`<${RequalsPage} user=${user} />`);
    case 'requal':
      return gate(can.readRequal(user), html`<${RequalPage} user=${user} id=${params.id} key=${`rq${params.id}`} />`);
    case 'worklog':
      return gate(can.readWorklog(user), html`<${WorklogPage} user=${user} query=${query} />`);
    case 'obligations':
      if (user.role === 'unit') return html`<${ObligationsUnitPage} user=${user} id=${user.unit_id} query=${query} key="ob-own" />`;
      return gate(can.readAllObligations(user), html`<${ObligationsPage} user=${user} query=${query} />`);
    case 'obligationsUnit':
      return gate(can.readObligations(user, params.id), html`<${ObligationsUnitPage} user=${user} id=${params.id} query=${query} key=${`ob${params.id}`} />`);
    case 'drills':
      return gate(can.readDrills(user), html`<${DrillsPage} user=${user} />`);
    case 'drill':
      return gate(can.readDrills(user), html`<${DrillPage} user=${user} id=${params.id} key=${`dr${params.id}`} />`);
    case 'incidents':
      return gate(can.readIncidents(user), html`<${IncidentsPage} user=${user} query=${query} />`);
    case 'incidentNew':
      return gate(can.reportIncident(user), html`<${IncidentFormPage} user=${user} key="inc-new" />`);
    case 'incident':
      return gate(can.readIncidents(user), html`<${IncidentPage} user=${user} id=${params.id} query=${query} key=${`inc${params.id}`} />`);
    case 'incidentEdit':
      return gate(can.manageIncidents(user), html`<${IncidentFormPage} user=${user} id=${params.id} key=${`ince${params.id}`} />`);
    case 'dispatches':
      return gate(can.readDispatches(user), html`<${DispatchesPage} user=${user} />`);
    case 'dispatch':
      return gate(can.readDispatches(user), html`<${DispatchPage} user=${user} id=${params.id} key=${`dsp${params.id}`} />`);
    case 'notifications':
      return html`<${NotificationsPage} user=${user} />`;
    case 'referenceIncidents':
      return gate(can.manageIncidentReference(user), html`<${ReferencePage} />`);
    case 'threats':
      return gate(can.readThreats(user), html`<${ThreatsPage} user=${user} query=${query} />`);
    case 'threatNew':
      return gate(can.writeThreat(user), html`<${ThreatFormPage} user=${user} key="threat-new" />`);
    case 'threat':
      return gate(can.readThreats(user), html`<${ThreatPage} user=${user} id=${params.id} key=${`thr${params.id}`} />`);
    case 'threatEdit':
      return gate(can.writeThreat(user), html`<${ThreatFormPage} user=${user} id=${params.id} key=${`thre${params.id}`} />`);
    case 'disposals':
      return gate(can.readDisposals(user), html`<${DisposalsPage} user=${user} query=${query} />`);
    case 'disposal':
      return gate(can.readDisposals(user), html`<${DisposalPage} user=${user} id=${params.id} key=${`dsn${params.id}`} />`);
    case 'earlyWarnings':
      return gate(can.readWarnings(user), html`<${WarningsPage} user=${user} query=${query} />`);
    case 'earlyWarningNew':
      return gate(can.writeWarning(user), html`<${WarningFormPage} user=${user} key="ew-new" />`);
    case 'earlyWarning':
      return gate(can.readWarnings(user), html`<${WarningPage} user=${user} id=${params.id} key=${`ew${params.id}`} />`);
    case 'earlyWarningEdit':
      return gate(can.writeWarning(user), html`<${WarningFormPage} user=${user} id=${params.id} key=${`ewe${params.id}`} />`);
    case 'bulletins':
      return gate(can.readBulletins(user), html`<${BulletinsPage} user=${user} query=${query} />`);
    case 'indicators':
      return gate(can.readIndicators(user), html`<${IndicatorsPage} user=${user} query=${query} />`);
    case 'indicatorImport':
      return gate(can.importIndicators(user), html`<${IndicatorImportPage} user=${user} />`);
    case 'indicator':
      return gate(can.readIndicators(user), html`<${IndicatorPage} user=${user} id=${params.id} key=${`ind${params.id}`} />`);
    case 'intelWarninglists':
      return gate(can.readWarningLists(user), html`<${WarningListsPage} user=${user} />`);
    case 'intelFeeds':
      return gate(can.readFeeds(user), html`<${FeedsPage} user=${user} />`);
    case 'constituents':
      return gate(can.readConstituents(user), html`<${ConstituentsPage} user=${user} query=${query} />`);
    case 'constituentNew':
      return gate(can.manageConstituents(user), html`<${ConstituentFormPage} user=${user} key="cons-new" />`);
    case 'constituent':
      return gate(can.readConstituents(user), html`<${ConstituentPage} user=${user} id=${params.id} key=${`cons${params.id}`} />`);
    case 'constituentEdit':
      return gate(can.manageConstituents(user), html`<${ConstituentFormPage} user=${user} id=${params.id} key=${`conse${params.id}`} />`);
    default:
      return html`<${NotFound} />`;
  }
}

function App() {
  const [route, setRoute] = useState(currentRoute);
  const [session, setSession] = useState(undefined); // undefined: still asking the server
  const [bootError, setBootError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [, setLangTick] = useState(0);

  useEffect(() => {
    // yj-query: a page changed its own query (replaceQuery); same visit, same page state.
    const onHash = () => setRoute(currentRoute());
    const onLang = () => setLangTick((n) => n + 1);
    window.addEventListener('hashchange', onHash);
    window.addEventListener('yj-query', onHash);
    window.addEventListener('yj-lang', onLang);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('yj-query', onHash);
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
  // The page is keyed by the visit (router.js): another ?query by a link or the back
  // button mounts it afresh; its own replaceQuery does not.
  return html`<div class="app">
    <${Header} user=${session.user} onLogout=${onLogout} />
    <div class="shell">
      <${Nav} user=${session.user} route=${route} />
      <main class="content" id="main">
        <${Page} route=${route} user=${session.user} onUserChange=${onUserChange} key=${route.visit} />
      </main>
    </div>
  </div>`;
}

setLang(getLang());
render(html`<${App} />`, document.getElementById('app'));

// components/notifications.js - in-app notifications (docs/api-notify.md): the bell
// in the header with the unread count (asked again every 30 seconds and on every
// route change), a drop-down of the latest with "mark all read", and the full list
// page. Opening a notification marks it read and follows its link.
import { html, useState, useEffect, useCallback, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow } from './ui.js';

const POLL_MS = 30000;

// The hash route of a notification's link ("/#/dispatches/12" or a full URL), or null.
export function linkRoute(link) {
  if (!link) return null;
  const i = link.indexOf('#/');
  return i >= 0 ? link.slice(i) : null;
}

async function openNotification(n, onRead) {
  if (!n.read_at) {
    try {
      await api.post(`/api/v1/notifications/${n.id}/read`);
    } catch (e) {
      /* shown as unread still; following the link matters more */
    }
    onRead();
  }
  const route = linkRoute(n.link);
  if (route) navigate(route);
}

function NotificationRow({ n, onOpen }) {
  return html`<li class=${n.read_at ? 'notif read' : 'notif unread'} data-notification-id=${n.id} data-event=${n.event}>
    <button type="button" class="notif-open" onClick=${() => onOpen(n)}>
      <span class="notif-title">${n.title}</span>
      ${n.body ? html`<span class="notif-body">${n.body}</span>` : null}
      <span class="notif-time">${fmtTime(n.created_at)}</span>
    </button>
  </li>`;
}

export function NotificationBell() {
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);
  const box = useRef(null);
  const count = useCallback(() => {
    api.get('/api/v1/notifications/unread-count', undefined, { quiet401: true }).then((r) => setUnread(r.data.unread || 0), () => {});
  }, []);
  const list = useCallback(() => {
    api.get('/api/v1/notifications', { limit: 10 }).then((r) => setItems(r.data.items), setError);
  }, []);
  useEffect(() => {
    count();
    const timer = setInterval(count, POLL_MS);
    const onHash = () => count();
    window.addEventListener('hashchange', onHash);
    window.addEventListener('yj-notifications', onHash);
    return () => {
      clearInterval(timer);
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('yj-notifications', onHash);
    };
  }, []);
  useEffect(() => {
    if (!open) return undefined;
    list();
    const onDoc = (e) => {
      if (box.current && !box.current.contains(e.target)) setOpen(false);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);
  const readAll = async () => {
    try {
      await api.post('/api/v1/notifications/read-all');
    } catch (e) {
      setError(e);
    }
    count();
    list();
  };
  const onOpen = (n) => {
    setOpen(false);
    openNotification(n, count);
  };
  return html`<div class="notif-bell" ref=${box}>
    <button type="button" class="btn-top notif-button" id="notif-bell" aria-haspopup="true" aria-expanded=${open ? 'true' : 'false'}
        aria-label=${t('notif.bellLabel', { n: unread })} onClick=${() => setOpen(!open)}>
      <svg class="notif-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor"
        d="M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6v-5a6 6 0 0 0-5-5.9V4a1 1 0 0 0-2 0v1.1A6 6 0 0 0 6 11v5l-2 2v1h16v-1z" /></svg>
      ${unread ? html`<span class="notif-count" id="notif-count" data-count=${unread}>${unread > 99 ? '99+' : unread}</span>` : null}
    </button>
    ${open ? html`<div class="notif-menu" id="notif-menu" role="dialog" aria-label=${t('notif.title')}>
      <div class="notif-menu-head">
        <strong>${t('notif.title')}</strong>
        <button type="button" class="link-button" id="notif-read-all" disabled=${!unread} onClick=${readAll}>${t('notif.readAll')}</button>
      </div>
      <${ErrorBox} error=${error} />
      ${!items && !error ? html`<${Loading} />` : null}
      ${items ? html`<ul class="notif-list">
        ${items.map((n) => html`<${NotificationRow} key=${n.id} n=${n} onOpen=${onOpen} />`)}
        ${items.length === 0 ? html`<li class="notif-empty muted">${t('notif.none')}</li>` : null}
      </ul>` : null}
      <div class="notif-menu-foot"><a href="#/notifications" id="notif-all" onClick=${() => setOpen(false)}>${t('notif.all')}</a></div>
    </div>` : null}
  </div>`;
}

export function NotificationsPage() {
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [error, setError] = useState(null);
  const load = useCallback((more) => {
    api.get('/api/v1/notifications', { unread: unreadOnly ? 1 : undefined, limit: 50, cursor: more || undefined }).then((r) => {
      setItems((prev) => (more ? prev.concat(r.data.items) : r.data.items));
      setCursor(r.data.next_cursor || null);
    }, setError);
  }, [unreadOnly]);
  useEffect(() => { load(null); }, [unreadOnly]);
  const changed = () => {
    window.dispatchEvent(new Event('yj-notifications'));
    load(null);
  };
  const readAll = async () => {
    try {
      await api.post('/api/v1/notifications/read-all');
    } catch (e) {
      setError(e);
    }
    changed();
  };
  const markRead = async (n) => {
    try {
      await api.post(`/api/v1/notifications/${n.id}/read`);
    } catch (e) {
      setError(e);
    }
    changed();
  };
  return html`<div class="page" id="notifications-page">
    <div class="page-head">
      <div><h2>${t('notif.title')}</h2><div class="subhead">${t('notif.subtitle')}</div></div>
      <div class="actions"><button type="button" class="btn" id="notifications-read-all" onClick=${readAll}>${t('notif.readAll')}</button></div>
    </div>
    <div class="filters">
      <label class="check-row"><input type="checkbox" id="notifications-unread" checked=${unreadOnly}
        onChange=${(e) => setUnreadOnly(e.target.checked)} /><span>${t('notif.unreadOnly')}</span></label>
    </div>
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<div class="table-wrap"><table class="table" id="notifications-table">
      <thead><tr><th>${t('notif.time')}</th><th>${t('notif.subject')}</th><th>${t('notif.state')}</th><th></th></tr></thead>
      <tbody>
        ${items.map((n) => html`<tr key=${n.id} data-notification-id=${n.id} class=${n.read_at ? 'row-past' : 'row-unread'}>
          <td class="nowrap">${fmtTime(n.created_at)}</td>
          <td><strong>${n.title}</strong>${n.body ? html`<div class="small pre">${n.body}</div>` : null}</td>
          <td>${n.read_at ? html`<span class="badge badge-muted">${t('notif.read')}</span>` : html`<span class="badge badge-warn">${t('notif.unread')}</span>`}</td>
          <td class="row-actions">
            ${linkRoute(n.link) ? html`<button type="button" class="btn btn-small btn-primary" onClick=${() => openNotification(n, changed)}>${t('notif.open')}</button>` : null}
            ${n.read_at ? null : html`<button type="button" class="btn btn-small" onClick=${() => markRead(n)}>${t('notif.markRead')}</button>`}
          </td>
        </tr>`)}
        ${items.length === 0 ? html`<${EmptyRow} cols=${4} text=${t('notif.none')} />` : null}
      </tbody>
    </table></div>
    ${cursor ? html`<div class="list-foot"><button type="button" class="btn" onClick=${() => load(cursor)}>${t('common.loadMore')}</button></div>` : null}` : null}
  </div>`;
}

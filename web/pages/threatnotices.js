// pages/threatnotices.js - disposal notices (处置通知): the list, overdue ones first
// and in red, filtered by state; and one notice: what was sent to whom (the matched
// values, the five-tuples, the measure and the deadline), its events, and for the
// authority recording the owner's acknowledgement or handling (with the owner's
// feedback) and sending it again.
import { html, useState, useEffect, useCallback } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t, has } from '../i18n.js';
import { can } from '../auth.js';
import { replaceQuery } from '../router.js';
import { fmtTime } from '../format.js';
import { useTick } from '../components/clock.js';
import { ErrorBox, Loading, EmptyRow, InfoGrid, Modal, Field, fieldMessage } from '../components/ui.js';
import {
  DISPOSAL_STATUSES, disposalStatusName, DisposalStatusBadge, blockName, kindName, measureName, joined, paren,
} from './threatmodel.js';
import { MatchedList, Contacts } from './threatdisposal.js';
import { TupleTable } from './threat.js';

// "还剩 3 小时 20 分" / "已超时 2 小时" from the deadline and now.
export function Remaining({ deadline, done, id }) {
  const now = useTick();
  const end = Date.parse(deadline);
  if (done || Number.isNaN(end)) return html`<span class="muted" id=${id}>${fmtTime(deadline)}</span>`;
  const ms = end - now;
  const abs = Math.abs(ms);
  const h = Math.floor(abs / 3600000);
  const m = Math.floor((abs % 3600000) / 60000);
  const span = h ? t('dispo.hm', { h, m }) : t('dispo.m', { m });
  return html`<span class=${ms < 0 ? 'text-error' : ''} id=${id} data-late=${ms < 0 ? 'true' : 'false'}>
    ${fmtTime(deadline)} <span class="small">${paren(ms < 0 ? t('dispo.lateBy', { span }) : t('dispo.left', { span }))}</span></span>`;
}

export function DisposalsPage({ user, query }) {
  const [filter, setFilterState] = useState(() => ({ status: query && query.status, overdue: query && query.overdue }));
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [error, setError] = useState(null);
  const q = (c) => ({ status: filter.status, overdue: filter.overdue, limit: 100, cursor: c || undefined });
  const load = useCallback(() => {
    setError(null);
    return api.get('/api/v1/disposals', q(null)).then((r) => {
      setItems(r.data.items);
      setCursor(r.data.next_cursor || null);
    }, setError);
  }, [filter.status, filter.overdue]);
  useEffect(() => {
    setItems(null);
    load();
  }, [filter.status, filter.overdue]);
  const more = async () => {
    try {
      const r = await api.get('/api/v1/disposals', q(cursor));
      setItems((prev) => prev.concat(r.data.items));
      setCursor(r.data.next_cursor || null);
    } catch (e) {
      setError(e);
    }
  };
  const setFilter = (f) => {
    setFilterState(f);
    replaceQuery(f);
  };
  const overdue = (items || []).filter((n) => n.overdue).length;
  return html`<div class="page page-wide" id="disposals-page">
    <div class="page-head">
      <div>
        <h2>${t('dispo.listTitle')}</h2>
        <div class="subhead">${t('dispo.listSubtitle')}
          ${overdue ? html`<span class="badge badge-error" id="disposals-overdue" data-count=${overdue}>${t('dispo.overdueN', { n: overdue })}</span>` : null}</div>
      </div>
      <div class="actions"><button type="button" class="btn" id="disposals-refresh" onClick=${load}>${t('common.reload')}</button></div>
    </div>
    <div class="filters">
      <label class="filter-item">${t('dispo.status')}
        <select id="disposal-filter-status" value=${filter.status || ''} onChange=${(e) => setFilter({ ...filter, status: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          ${DISPOSAL_STATUSES.map((s) => html`<option key=${s} value=${s}>${disposalStatusName(s)}</option>`)}
        </select></label>
      <label class="filter-item">${t('dispo.overdue')}
        <select id="disposal-filter-overdue" value=${filter.overdue || ''} onChange=${(e) => setFilter({ ...filter, overdue: e.target.value || undefined })}>
          <option value="">${t('common.all')}</option>
          <option value="true">${t('dispo.overdueOnly')}</option>
          <option value="false">${t('dispo.notOverdue')}</option>
        </select></label>
    </div>
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items ? html`<div class="table-wrap"><table class="table" id="disposals-table">
      <thead><tr><th>${t('inc.id')}</th><th>${t('dispo.constituent')}</th><th>${t('dispo.report')}</th><th>${t('dispo.status')}</th>
        <th>${t('dispo.deadline_at')}</th><th>${t('dispo.sent_at')}</th></tr></thead>
      <tbody>
        ${items.map((n) => html`<tr key=${n.id} data-notice-id=${n.id} data-status=${n.status} data-overdue=${n.overdue ? 'true' : 'false'}
            class=${n.overdue ? 'row-breach' : ''}>
          <td class="mono">#${n.id}</td>
          <td><a class="unit-link" href=${`#/disposals/${n.id}`}>${n.constituent_name}</a></td>
          <td><a href=${`#/threats/${n.threat_report_id}`}>${n.threat_report_title || `#${n.threat_report_id}`}</a></td>
          <td><${DisposalStatusBadge} status=${n.status} overdue=${n.overdue} /></td>
          <td class="nowrap"><${Remaining} deadline=${n.deadline_at} done=${n.status === 'handled'} /></td>
          <td class="nowrap">${fmtTime(n.sent_at)}</td>
        </tr>`)}
        ${items.length === 0 ? html`<${EmptyRow} cols=${6} text=${t('dispo.empty')} />` : null}
      </tbody>
    </table></div>
    <div class="list-foot"><span class="muted">${t('common.total', { n: items.length })}</span>
      ${cursor ? html`<button type="button" class="btn" id="disposals-more" onClick=${more}>${t('common.loadMore')}</button>` : null}</div>` : null}
  </div>`;
}

// Recording an acknowledgement (an optional note) or the handling (the owner's feedback).
function ActionDialog({ notice, etag, action, onDone, onCancel }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const key = action === 'handled' ? 'feedback' : 'note';
  const go = async () => {
    if (action === 'handled' && !text.trim()) {
      setError({ code: 'invalid', field: key, message: 'required', local: true });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = { [key]: text.trim() || undefined };
      await api.post(`/api/v1/disposals/${notice.id}/${action}`, body, { ifMatch: etag });
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${t(`dispo.act.${action}`)} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn btn-primary" id="dispo-action-confirm" disabled=${busy} onClick=${go}>${t('common.confirm')}</button>`}>
    <p class="hint">${t(`dispo.act.${action}Hint`)}</p>
    <${Field} id="dispo-action-text" label=${t(`dispo.${key}`)} required=${action === 'handled'}
        error=${fieldMessage(error, key)}>
      <textarea id="dispo-action-text" rows="4" value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
    </${Field}>
    ${error && error.field !== key ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

export function DisposalPage({ user, id }) {
  const [n, setN] = useState(null);
  const [etag, setEtag] = useState(null);
  const [error, setError] = useState(null);
  const [action, setAction] = useState(null);
  const load = useCallback(() => api.get(`/api/v1/disposals/${id}`).then((r) => {
    setN(r.data);
    setEtag(r.etag);
    setError(null);
  }, setError), [id]);
  useEffect(() => { load(); }, [id]);
  if (!n) return html`<div class="page"><${ErrorBox} error=${error} />${error ? null : html`<${Loading} />`}</div>`;
  const manage = can.manageDisposals(user);
  const events = (n.events || []).slice().reverse();
  return html`<div class="page page-wide" id="disposal-page" data-notice-id=${n.id}>
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/disposals">${t('nav.disposals')}</a> / #${n.id}</div>
        <h2 id="disposal-title">${n.constituent_name}</h2>
        <div class="subhead">
          <${DisposalStatusBadge} status=${n.status} overdue=${n.overdue} id="disposal-status" />
          <span>${kindName(n.constituent_kind)}</span>
          <a href=${`#/threats/${n.threat_report_id}`}>${n.threat_report_title || `#${n.threat_report_id}`}</a>
        </div>
      </div>
      ${manage ? html`<div class="actions">
        ${n.status === 'sent' ? html`<button type="button" class="btn" id="dispo-acknowledge" onClick=${() => setAction('acknowledge')}>${t('dispo.act.acknowledge')}</button>` : null}
        ${n.status !== 'handled' ? html`<button type="button" class="btn btn-primary" id="dispo-handled" onClick=${() => setAction('handled')}>${t('dispo.act.handled')}</button>` : null}
        ${n.status !== 'handled' ? html`<button type="button" class="btn" id="dispo-resend" onClick=${() => setAction('resend')}>${t('dispo.act.resend')}</button>` : null}
      </div>` : null}
    </div>
    <section class="panel" id="disposal-facts">
      <h3>${t('dispo.what')}</h3>
      <${InfoGrid} items=${[
        [t('dispo.subject'), n.subject, true],
        [t('dispo.report'), html`<a href=${`#/threats/${n.threat_report_id}`}>${n.threat_report_title || `#${n.threat_report_id}`}</a>`, true],
        [t('threat.disposal.measure'), html`${measureName(n.measure)}
          ${(n.blocks || []).length ? html` <span class="muted">${paren(joined(n.blocks.map(blockName)))}</span>` : null}`],
        [t('dispo.deadline_at'), html`<${Remaining} deadline=${n.deadline_at} done=${n.status === 'handled'} id="disposal-deadline" />`],
        [t('dispo.measure_text'), n.measure_text ? html`<div class="pre">${n.measure_text}</div>` : '', true],
        [t('dispo.recipients'), n.personal_data_hidden ? html`<span class="muted">${t('dispo.hidden')}</span>` : html`<${Contacts} contacts=${n.recipients} />`, true],
        [t('dispo.created_by'), n.created_by_name],
        [t('dispo.sent_at'), fmtTime(n.sent_at)],
        [t('dispo.acknowledged_at'), n.acknowledged_at ? `${fmtTime(n.acknowledged_at)}${n.acknowledged_by ? ` · ${n.acknowledged_by}` : ''}` : ''],
        [t('dispo.handled_at'), n.handled_at ? `${fmtTime(n.handled_at)}${n.handled_by ? ` · ${n.handled_by}` : ''}` : ''],
        [t('dispo.overdue_at'), fmtTime(n.overdue_at)],
        [t('dispo.feedback'), n.feedback ? html`<div class="pre" id="disposal-feedback">${n.feedback}</div>` : '', true],
      ]} />
    </section>
    ${n.text ? html`<section class="panel" id="disposal-text-panel">
      <h3>${t('dispo.body')}</h3>
      <div class="pre notice-text" id="disposal-text">${n.text}</div>
    </section>` : null}
    <section class="panel" id="disposal-matched">
      <h3>${t('dispo.matched')}<span class="count">${(n.matched || []).length}</span></h3>
      <${MatchedList} matched=${n.matched} />
      ${(n.five_tuples || []).length ? html`<h4 class="subhead-h">${t('threat.sec.tuples')}</h4>
        <${TupleTable} tuples=${n.five_tuples} id="disposal-tuples" />` : null}
    </section>
    <section class="panel" id="disposal-events">
      <h3>${t('dispo.events')}<span class="count">${events.length}</span></h3>
      <div class="table-wrap"><table class="table table-compact" id="disposal-events-table">
        <thead><tr><th>${t('tl.at')}</th><th>${t('dispo.event')}</th><th>${t('tl.actor')}</th><th>${t('dispo.note')}</th></tr></thead>
        <tbody>
          ${events.map((e, i) => html`<tr key=${i} data-action=${e.action} class=${e.action === 'overdue' ? 'row-breach' : ''}>
            <td class="nowrap">${fmtTime(e.at)}</td><td>${has(`dispo.ev.${e.action}`) ? t(`dispo.ev.${e.action}`) : e.action}</td>
            <td>${e.by || (has(`dispo.actor.${e.actor}`) ? t(`dispo.actor.${e.actor}`) : e.actor || '')}</td>
            <td class="pre">${e.note || ''}</td></tr>`)}
          ${events.length === 0 ? html`<${EmptyRow} cols=${4} />` : null}
        </tbody>
      </table></div>
    </section>
    ${action ? html`<${ActionDialog} notice=${n} etag=${etag} action=${action} onCancel=${() => setAction(null)}
      onDone=${() => { setAction(null); load(); }} />` : null}
  </div>`;
}

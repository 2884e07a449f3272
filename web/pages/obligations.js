// pages/obligations.js - the monthly obligations (DOMAIN.md §4): at least 1 incident
// response and 40 hours of technical support a month on average, reachable 7×24.
// #/obligations: the authority's and auditor's table of every unit for a month;
// #/obligations/:id (and #/obligations for a unit, its own): one unit's last 12
// months with the numbers behind each judgement, the roster gaps and the average.
// Everything is computed by the server from records; nothing here is typed in.
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { replaceQuery } from '../router.js';
import { ErrorBox, Notice, Loading, EmptyRow } from '../components/ui.js';
import { MetBadge, MonthPicker, currentMonth, addMonths, validMonth, fmtApiTime, fmtHours } from './worklog.js';

// covered_ratio (0..1) as "99.5%"; a floor, so that an incomplete month never shows 100%.
export function fmtCoverage(ratio) {
  if (ratio === null || ratio === undefined) return '';
  const v = Math.floor(Number(ratio) * 1000 + 1e-9) / 10;
  return `${v}%`;
}

// Hours as the API gives them (support_hours) or from support_minutes.
const hoursOf = (m) => (m.support_minutes !== undefined && m.support_minutes !== null
  ? fmtHours(m.support_minutes) : String(Math.round(Number(m.support_hours || 0) * 10) / 10));

const allMet = (r) => r.incidents_met && r.hours_met && r.contact_met;

// --- every unit, one month -----------------------------------------------------------

export function ObligationsPage({ query }) {
  const [month, setMonth] = useState(validMonth(query && query.month) || currentMonth());
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const seq = useRef(0);

  useEffect(() => {
    const my = ++seq.current;
    setData(null);
    setError(null);
    replaceQuery({ month });
    api.get('/api/v1/obligations', { month }).then(
      (r) => my === seq.current && setData(r.data),
      (e) => my === seq.current && setError(e),
    );
  }, [month]);

  const items = (data && data.items) || [];
  const met = items.filter(allMet).length;
  return html`<div class="page" id="obligations-page">
    <div class="page-head">
      <div>
        <h2>${t('oblig.title')}</h2>
        <div class="subhead">${t('oblig.subtitle')}</div>
      </div>
    </div>
    <${Notice}>${t('oblig.rules')}</${Notice}>
    <div class="filters filters-grid">
      <div class="filter-item"><span>${t('work.month')}</span>
        <${MonthPicker} id="obligations-month" month=${month} onMonth=${setMonth} max=${currentMonth()} /></div>
      ${data ? html`<span class="oblig-summary" id="obligations-summary">${t('oblig.metCount', { n: met, total: items.length })}</span>` : null}
    </div>
    <${ErrorBox} error=${error} />
    <div class="table-wrap">
      <table class="table oblig-table" id="obligations-table">
        <thead>
          <tr>
            <th rowspan="2">${t('work.unit')}</th>
            <th class="num">${t('oblig.incidents')}</th>
            <th class="num">${t('oblig.supportHours')}</th>
            <th class="num">${t('oblig.coverage')}</th>
            <th class="num">${t('oblig.breaches')}</th>
            <th>${t('oblig.incidentsMet')}</th>
            <th>${t('oblig.hoursMet')}</th>
            <th>${t('oblig.contactMet')}</th>
          </tr>
          <tr class="oblig-need">
            <th class="num">${t('oblig.needIncidents')}</th>
            <th class="num">${t('oblig.needHours')}</th>
            <th class="num">${t('oblig.needContact')}</th>
            <th></th><th colspan="3">${t('oblig.judgement')}</th>
          </tr>
        </thead>
        <tbody>
          ${items.map((r) => html`<tr key=${r.unit_id} id=${`oblig-row-${r.unit_id}`} data-unit-id=${r.unit_id}
              class=${allMet(r) ? '' : 'row-fail'}>
            <td><a class="unit-link oblig-unit" href=${`#/obligations/${r.unit_id}`}>${r.unit_name}</a></td>
            <td class="num oblig-incidents">${r.incidents}</td>
            <td class="num oblig-hours">${hoursOf(r)}</td>
            <td class="num oblig-coverage">${fmtCoverage(r.covered_ratio)}</td>
            <td class=${`num oblig-breaches${r.breaches ? ' text-bad' : ''}`}>${r.breaches}</td>
            <td class="oblig-incidents-met"><${MetBadge} met=${r.incidents_met} /></td>
            <td class="oblig-hours-met"><${MetBadge} met=${r.hours_met} /></td>
            <td class="oblig-contact-met"><${MetBadge} met=${r.contact_met} /></td>
          </tr>`)}
          ${data && items.length === 0 ? html`<${EmptyRow} cols=${8} text=${t('oblig.empty')} />` : null}
        </tbody>
      </table>
    </div>
    ${!data && !error ? html`<${Loading} />` : null}
  </div>`;
}

// --- one unit, the last 12 months ------------------------------------------------------

function Gaps({ m }) {
  const gaps = m.roster_gaps || [];
  const n = m.n_gaps ?? gaps.length;
  if (!n) return html`<span class="muted small">${t('oblig.noGaps')}</span>`;
  return html`<details class="oblig-gaps">
    <summary class="text-bad">${t('oblig.gapsCount', { n })}</summary>
    <ul class="plain-list small">
      ${gaps.map((g, i) => html`<li key=${i} class="mono">${fmtApiTime(g.from)} — ${fmtApiTime(g.to)}</li>`)}
      ${n > gaps.length ? html`<li class="muted">${t('oblig.gapsMore', { n: n - gaps.length })}</li>` : null}
    </ul>
  </details>`;
}

function MonthRow({ m }) {
  return html`<tr id=${`oblig-month-${m.month}`} data-month=${m.month} class=${m.partial ? 'row-partial' : ''}>
    <th scope="row" class="nowrap">${m.month}
      ${m.partial ? html` <span class="badge badge-info">${t('oblig.partial')}</span>` : null}</th>
    <td class="num oblig-incidents">${m.incidents}</td>
    <td class="oblig-incidents-met"><${MetBadge} met=${m.incidents_met} /></td>
    <td class="num oblig-hours">${hoursOf(m)}</td>
    <td class="oblig-hours-met"><${MetBadge} met=${m.hours_met} /></td>
    <td class="num oblig-coverage">${fmtCoverage(m.covered_ratio)}</td>
    <td class="oblig-contact-met"><${MetBadge} met=${m.contact_met} /> <${Gaps} m=${m} /></td>
    <td class="num">${m.dispatches ?? ''}</td>
    <td class=${`num${m.breaches ? ' text-bad' : ''}`}>${m.breaches ?? ''}</td>
    <td class="num">${m.drills ? `${m.drills_acked} / ${m.drills}` : html`<span class="muted">${t('common.none')}</span>`}</td>
  </tr>`;
}

export function ObligationsUnitPage({ user, id, query }) {
  const [to, setTo] = useState(validMonth(query && query.to) || currentMonth());
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const seq = useRef(0);

  useEffect(() => {
    const my = ++seq.current;
    setData(null);
    setError(null);
    replaceQuery({ to: to === currentMonth() ? undefined : to });
    api.get(`/api/v1/units/${id}/obligations`, { from: addMonths(to, -11), to }).then(
      (r) => my === seq.current && setData(r.data),
      (e) => my === seq.current && setError(e),
    );
  }, [id, to]);

  if (error) return html`<div class="page"><${ErrorBox} error=${error} /></div>`;
  const months = data ? (data.months || []).slice().sort((a, b) => (a.month < b.month ? 1 : -1)) : [];
  const avg = (data && data.average) || {};
  const own = user.role === 'unit';
  return html`<div class="page" id="obligations-unit-page" data-unit-id=${id}>
    <div class="page-head">
      <div>
        ${own ? null : html`<div class="crumbs"><a href="#/obligations">${t('oblig.title')}</a> / ${data ? data.unit_name : ''}</div>`}
        <h2 id="obligations-unit-name">${data ? t('oblig.unitTitle', { name: data.unit_name }) : t('oblig.title')}</h2>
        <div class="subhead">${t('oblig.subtitle')}</div>
      </div>
      <div class="actions">
        <a class="btn" id="obligations-to-worklog" href=${own ? '#/worklog' : `#/worklog?unit=${id}`}>${t('oblig.toWorklog')}</a>
        <a class="btn" href=${`#/units/${id}`}>${t('unit.basic')}</a>
      </div>
    </div>
    <${Notice}>${t('oblig.rules')}</${Notice}>
    <div class="filters filters-grid">
      <div class="filter-item"><span>${t('oblig.last12')}</span>
        <${MonthPicker} id="obligations-to" month=${to} onMonth=${setTo} max=${currentMonth()} /></div>
    </div>
    ${!data ? html`<${Loading} />` : html`<div class="table-wrap">
      <table class="table oblig-table" id="obligations-months">
        <thead>
          <tr>
            <th rowspan="2">${t('oblig.monthCol')}</th>
            <th class="group" colspan="2">${t('oblig.incidents')}</th>
            <th class="group" colspan="2">${t('oblig.supportHours')}</th>
            <th class="group" colspan="2">${t('oblig.coverage')}</th>
            <th class="num" rowspan="2">${t('oblig.dispatches')}</th>
            <th class="num" rowspan="2">${t('oblig.breaches')}</th>
            <th class="num" rowspan="2">${t('oblig.drills')}</th>
          </tr>
          <tr class="oblig-need">
            <th class="num">${t('oblig.needIncidents')}</th><th>${t('oblig.judgement')}</th>
            <th class="num">${t('oblig.needHours')}</th><th>${t('oblig.judgement')}</th>
            <th class="num">${t('oblig.needContact')}</th><th>${t('oblig.judgement')} · ${t('oblig.gaps')}</th>
          </tr>
        </thead>
        <tbody>
          ${months.map((m) => html`<${MonthRow} key=${m.month} m=${m} />`)}
          ${months.length === 0 ? html`<${EmptyRow} cols=${10} />` : null}
        </tbody>
        <tfoot>
          <tr class="row-total" id="obligations-average">
            <th scope="row">${t('oblig.average')}
              ${avg.months !== undefined ? html`<div class="small muted" id="avg-months">${t('oblig.averageOver', { n: avg.months })}</div>` : null}</th>
            <td class="num" id="avg-incidents">${Number(avg.incidents_per_month || 0)}</td>
            <td><${MetBadge} met=${avg.incidents_met} id="avg-incidents-met" /></td>
            <td class="num" id="avg-hours">${Number(avg.hours_per_month || 0)}</td>
            <td><${MetBadge} met=${avg.hours_met} id="avg-hours-met" /></td>
            <td></td>
            <td><${MetBadge} met=${avg.contact_met} id="avg-contact-met" /></td>
            <td colspan="3" class="small muted">${t('oblig.averageHint')}</td>
          </tr>
        </tfoot>
      </table>
    </div>`}
  </div>`;
}

// pages/units.js - the unit list: search (q), province filter, "load more" paging.
import { html, useState, useEffect, useRef } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { capabilityName } from '../components/names.js';
import { can } from '../auth.js';
import { fmtTime, fmtNumber } from '../format.js';
import { ErrorBox, EmptyRow } from '../components/ui.js';

const PAGE = 50;

export function UnitsPage({ user }) {
  const [q, setQ] = useState('');
  const [province, setProvince] = useState('');
  const [filter, setFilter] = useState({ q: '', province: '' });
  const [items, setItems] = useState([]);
  const [cursor, setCursor] = useState(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(null);
  const [provinces, setProvinces] = useState([]);
  const [fields, setFields] = useState([]);
  const seq = useRef(0);

  useEffect(() => {
    api.reference('provinces').then(setProvinces, () => {});
    api.reference('capability-fields').then(setFields, () => {});
  }, []);

  const load = async (after) => {
    const my = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const { data } = await api.get('/api/v1/units', {
        q: filter.q,
        province: filter.province,
        limit: PAGE,
        cursor: after || undefined,
      });
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

  const onSearch = (e) => {
    e.preventDefault();
    setFilter({ q: q.trim(), province });
  };
  const onReset = () => {
    setQ('');
    setProvince('');
    setFilter({ q: '', province: '' });
  };

  return html`<div class="page">
    <div class="page-head">
      <h2>${t('units.title')}</h2>
      ${can.createUnit(user)
        ? html`<a class="btn btn-primary" id="new-unit" href="#/units/new">＋ ${t('units.new')}</a>`
        : null}
    </div>
    <form class="filters" onSubmit=${onSearch} role="search">
      <input id="units-q" type="search" class="filter-q" placeholder=${t('units.searchPlaceholder')}
        aria-label=${t('units.searchPlaceholder')} value=${q} onInput=${(e) => setQ(e.target.value)} />
      <select id="units-province" aria-label=${t('unit.province')} value=${province}
        onChange=${(e) => setProvince(e.target.value)}>
        <option value="">${t('units.allProvinces')}</option>
        ${provinces.map((p) => html`<option key=${p.name} value=${p.name}>${p.name}</option>`)}
      </select>
      <button type="submit" class="btn btn-primary" id="units-search">${t('common.search')}</button>
      <button type="button" class="btn" onClick=${onReset}>${t('common.reset')}</button>
    </form>
    <${ErrorBox} error=${error} />
    <div class="table-wrap">
      <table class="table" id="units-table">
        <thead>
          <tr>
            <th>${t('unit.name')}</th>
            <th>${t('unit.credit_code')}</th>
            <th>${t('unit.province')}</th>
            <th>${t('unit.city')}</th>
            <th class="num">${t('unit.registered_capital')}</th>
            <th class="num">${t('unit.staff_count')}</th>
            <th>${t('unit.capabilities')}</th>
            <th>${t('unit.updated_at')}</th>
          </tr>
        </thead>
        <tbody>
          ${items.map(
            (u) => html`<tr key=${u.id}>
              <td><a href=${`#/units/${u.id}`} class="unit-link">${u.name}</a></td>
              <td class="mono">${u.credit_code}</td>
              <td>${u.province || ''}</td>
              <td>${u.city || ''}</td>
              <td class="num">${fmtNumber(u.registered_capital)}</td>
              <td class="num">${u.staff_count}</td>
              <td>
                <div class="chips">
                  ${(u.capabilities || []).map((c) => html`<span class="chip" key=${c}>${capabilityName(fields, c)}</span>`)}
                </div>
              </td>
              <td class="nowrap">${fmtTime(u.updated_at)}</td>
            </tr>`,
          )}
          ${!loading && !error && items.length === 0 ? html`<${EmptyRow} cols=${8} text=${t('units.empty')} />` : null}
        </tbody>
      </table>
    </div>
    <div class="list-foot">
      <span class="muted">${items.length ? t('common.total', { n: items.length }) : ''}</span>
      ${loading ? html`<span class="muted">${t('common.loading')}</span>` : null}
      ${cursor && !loading
        ? html`<button type="button" class="btn" id="units-more" onClick=${() => load(cursor)}>${t('common.loadMore')}</button>`
        : null}
    </div>
  </div>`;
}

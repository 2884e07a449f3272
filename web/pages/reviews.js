// pages/reviews.js - an expert's work: the panels they sit on in every campaign,
// the applications assigned to them (without those they declared a conflict
// with), the state of their own score sheet for each, and their score-sheet
// download per panel.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, EmptyRow, Notice } from '../components/ui.js';
import { Badge } from '../components/status.js';

function SheetState({ sheet }) {
  if (!sheet) return html`<span class="muted">…</span>`;
  if (sheet.submitted_at) return html`<span class="badge badge-ok" data-sheet="final">${t('reviews.final', { time: fmtTime(sheet.submitted_at) })}</span>`;
  if (sheet.scores.length) return html`<span class="badge badge-warn" data-sheet="draft">${t('reviews.draft', { n: sheet.scores.length })}</span>`;
  return html`<span class="badge badge-muted" data-sheet="none">${t('reviews.notStarted')}</span>`;
}

export function ReviewsPage() {
  const [groups, setGroups] = useState(null);
  const [sheets, setSheets] = useState({});
  const [error, setError] = useState(null);
  const [notice] = useState(() => {
    const n = sessionStorage.getItem('yj.notice');
    sessionStorage.removeItem('yj.notice');
    return n;
  });
  useEffect(() => {
    (async () => {
      try {
        const campaigns = (await api.getAll('/api/v1/campaigns')).reverse();
        const out = [];
        for (const c of campaigns) {
          const { data } = await api.get(`/api/v1/campaigns/${c.id}/panels`);
          if (!data.items.length) continue;
          const apps = await api.getAll(`/api/v1/campaigns/${c.id}/applications`);
          out.push({ c, panels: data.items, apps });
        }
        setGroups(out);
        for (const g of out) {
          for (const a of g.apps) {
            api.get(`/api/v1/applications/${a.id}/scores/mine`).then(
              (r) => setSheets((s) => ({ ...s, [a.id]: r.data })), () => {});
          }
        }
      } catch (e) {
        setError(e);
      }
    })();
  }, []);
  return html`<div class="page" id="reviews-page">
    <div class="page-head"><div><h2>${t('reviews.title')}</h2><div class="subhead">${t('reviews.subtitle')}</div></div></div>
    ${notice === 'conflictDeclared' ? html`<${Notice} kind="ok">${t('conflict.declaredDone')}</${Notice}>` : null}
    <${ErrorBox} error=${error} />
    ${!groups && !error ? html`<${Loading} />` : null}
    ${groups && groups.length === 0 ? html`<div class="panel empty-panel">${t('reviews.none')}</div>` : null}
    ${(groups || []).map(({ c, panels, apps }) => html`<section class="panel" key=${c.id} data-campaign-id=${c.id}>
      <div class="section-head"><h3>${c.name}</h3><${Badge} family="stage" code=${c.stage} /></div>
      ${panels.map((p) => {
        const mine = apps.filter((a) => p.applications.includes(a.id));
        return html`<div class="panel-card" key=${p.id} data-panel-id=${p.id}>
          <div class="section-head">
            <h4>${p.name} <${Badge} family="panel" code=${p.status} /></h4>
            <a class="btn btn-small" id=${`dl-my-sheet-${p.id}`} href=${`/api/v1/panels/${p.id}/scoresheet.xlsx`} download>${t('reviews.mySheet')}</a>
          </div>
          <div class="table-wrap"><table class="table reviews-table">
            <thead><tr><th>${t('app.unit')}</th><th>${t('unit.credit_code')}</th><th>${t('app.submitted_at')}</th><th>${t('reviews.mySheetState')}</th><th></th></tr></thead>
            <tbody>
              ${mine.map((a) => html`<tr key=${a.id} data-application-id=${a.id}>
                <td>${a.unit_name}</td><td class="mono">${a.credit_code}</td><td class="nowrap">${fmtTime(a.submitted_at)}</td>
                <td><${SheetState} sheet=${sheets[a.id]} /></td>
                <td><a class="btn btn-small btn-primary" id=${`open-${a.id}`} href=${`#/applications/${a.id}`}>${t('reviews.open')}</a></td>
              </tr>`)}
              ${mine.length === 0 ? html`<${EmptyRow} cols=${5} text=${t('reviews.noApplications')} />` : null}
            </tbody>
          </table></div>
        </div>`;
      })}
    </section>`)}
  </div>`;
}

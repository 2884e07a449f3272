// pages/campaigns.js - the selection campaigns. The authority and the auditor see
// every campaign (drafts included); a unit sees those past draft with its own
// application in each and may start one while a campaign is open; experts and
// background reviewers see the campaigns they work in.
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { navigate } from '../router.js';
import { fmtTime } from '../format.js';
import { ErrorBox, EmptyRow, Loading } from '../components/ui.js';
import { Badge } from '../components/status.js';

export function region(c) {
  return [c.province, c.city].filter(Boolean).join(' · ');
}

// Whether a unit may start an application now (as far as the browser can tell;
// the server's clock decides).
function acceptsApplications(c) {
  return c.stage === 'open' && Date.parse(c.deadline_at) > Date.now();
}

function UnitCampaigns({ campaigns }) {
  const [apps, setApps] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(null);

  useEffect(() => {
    let live = true;
    Promise.all(campaigns.map((c) => api.get(`/api/v1/campaigns/${c.id}/applications`).then(
      (r) => [c.id, r.data.items[0] || null], () => [c.id, null])))
      .then((pairs) => live && setApps(Object.fromEntries(pairs)));
    return () => { live = false; };
  }, [campaigns]);

  const start = async (c) => {
    setBusy(c.id);
    setError(null);
    try {
      const r = await api.post(`/api/v1/campaigns/${c.id}/applications`);
      navigate(`#/applications/${r.data.id}`);
    } catch (e) {
      setBusy(null);
      setError(e);
    }
  };

  if (campaigns.length === 0) return html`<div class="panel empty-panel">${t('campaigns.noneForUnit')}</div>`;
  return html`<div>
    <${ErrorBox} error=${error} />
    <div class="campaign-cards">
      ${campaigns.map((c) => {
        const a = apps[c.id];
        return html`<section class="panel campaign-card" key=${c.id} data-campaign-id=${c.id}>
          <div class="campaign-card-head">
            <h3><a href=${`#/campaigns/${c.id}`}>${c.name}</a></h3>
            <${Badge} family="stage" code=${c.stage} />
          </div>
          <dl class="facts">
            <div><dt>${t('campaign.title')}</dt><dd>${c.title}</dd></div>
            <div><dt>${t('campaign.region')}</dt><dd>${region(c) || t('common.none')}</dd></div>
            <div><dt>${t('campaign.deadline_at')}</dt><dd class="nowrap">${fmtTime(c.deadline_at)}</dd></div>
            <div><dt>${t('campaign.places')}</dt><dd>${c.places}</dd></div>
          </dl>
          <div class="campaign-card-foot">
            ${a === undefined ? html`<span class="muted">${t('common.loading')}</span>`
              : a ? html`<span>${t('campaigns.myApplication')}：<${Badge} family="status" code=${a.status} />
                  ${a.outcome !== 'pending' ? html` <${Badge} family="outcome" code=${a.outcome} />` : null}</span>
                  <a class="btn btn-primary" id=${`open-application-${c.id}`} href=${`#/applications/${a.id}`}>
                    ${a.status === 'draft' || a.status === 'returned' ? t('campaigns.continue') : t('campaigns.view')}</a>`
              : acceptsApplications(c)
                ? html`<span class="muted">${t('campaigns.notApplied')}</span>
                    <button type="button" class="btn btn-primary" id=${`start-application-${c.id}`} disabled=${busy === c.id}
                      onClick=${() => start(c)}>${t('campaigns.start')}</button>`
                : html`<span class="muted">${t('campaigns.closedForApplications')}</span>`}
          </div>
        </section>`;
      })}
    </div>
  </div>`;
}

export function CampaignsPage({ user }) {
  const [items, setItems] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    // Newest first.
    api.getAll('/api/v1/campaigns').then((list) => setItems(list.reverse()), setError);
  }, []);

  return html`<div class="page" id="campaigns-page">
    <div class="page-head">
      <div>
        <h2>${user.role === 'unit' ? t('campaigns.unitTitle') : t('campaigns.title')}</h2>
        <div class="subhead">${t('campaigns.subtitle')}</div>
      </div>
      ${can.manageCampaigns(user) ? html`<a class="btn btn-primary" id="new-campaign" href="#/campaigns/new">＋ ${t('campaigns.new')}</a>` : null}
    </div>
    <${ErrorBox} error=${error} />
    ${!items && !error ? html`<${Loading} />` : null}
    ${items && user.role === 'unit' ? html`<${UnitCampaigns} campaigns=${items} />` : null}
    ${items && user.role !== 'unit' ? html`<div class="table-wrap">
      <table class="table" id="campaigns-table">
        <thead><tr>
          <th>${t('campaign.name')}</th><th>${t('campaign.term_no')}</th><th>${t('campaign.region')}</th>
          <th>${t('campaign.stage')}</th><th>${t('campaign.deadline_at')}</th><th class="num">${t('campaign.places')}</th>
          <th>${t('campaign.updated_at')}</th>
        </tr></thead>
        <tbody>
          ${items.map((c) => html`<tr key=${c.id} data-campaign-id=${c.id}>
            <td><a class="unit-link" href=${`#/campaigns/${c.id}`}>${c.name}</a><div class="muted small">${c.title}</div></td>
            <td>${c.term_no ? t('campaign.termN', { n: c.term_no }) : ''}</td>
            <td>${region(c)}</td>
            <td><${Badge} family="stage" code=${c.stage} /></td>
            <td class="nowrap">${fmtTime(c.deadline_at)}</td>
            <td class="num">${c.places}</td>
            <td class="nowrap">${fmtTime(c.updated_at)}</td>
          </tr>`)}
          ${items.length === 0 ? html`<${EmptyRow} cols=${7} text=${t('campaigns.empty')} />` : null}
        </tbody>
      </table>
    </div>` : null}
  </div>`;
}

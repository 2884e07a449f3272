// pages/panels.js - the expert panels of a campaign (authority: form, change
// members, close; auditor: read), with each panel's downloads: the panel's
// summary and every expert's score sheet (XLSX).
import { html, useState, useEffect } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { can } from '../auth.js';
import { fmtTime } from '../format.js';
import { ErrorBox, Loading, Modal, Field, fieldMessage, ConfirmDialog, Notice } from '../components/ui.js';
import { Badge } from '../components/status.js';

function CheckList({ id, items, chosen, onChange, err, path, empty }) {
  const toggle = (v) => onChange(chosen.includes(v) ? chosen.filter((x) => x !== v) : chosen.concat([v]));
  const msg = fieldMessage(err, path, true);
  return html`<div class=${msg ? 'checklist-box has-error' : 'checklist-box'} id=${id} tabindex="-1">
    ${items.length === 0 ? html`<p class="muted">${empty}</p>` : null}
    ${items.map((it) => html`<label class="check-row" key=${it.value}>
      <input type="checkbox" value=${it.value} checked=${chosen.includes(it.value)} disabled=${it.disabled}
        onChange=${() => toggle(it.value)} />
      <span>${it.label}</span>${it.note ? html`<span class="muted small">${it.note}</span>` : null}
    </label>`)}
    ${msg ? html`<div class="field-error" role="alert">${msg}</div>` : null}
  </div>`;
}

// The form to create a panel or change its members (panel given).
function PanelForm({ campaign, panel, experts, apps, panels, onDone, onCancel }) {
  const [name, setName] = useState(panel ? panel.name : '');
  const [ex, setEx] = useState(panel ? panel.experts.slice() : []);
  const [ap, setAp] = useState(panel ? panel.applications.slice() : []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const onOther = new Map();
  for (const p of panels) if (!panel || p.id !== panel.id) for (const a of p.applications) onOther.set(a, p.name);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      if (panel) await api.patch(`/api/v1/panels/${panel.id}`, { experts: ex, applications: ap });
      else await api.post(`/api/v1/campaigns/${campaign.id}/panels`, { name: name.trim(), experts: ex, applications: ap });
      onDone();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return html`<${Modal} title=${panel ? t('panels.editTitle', { name: panel.name }) : t('panels.newTitle')} onClose=${onCancel}
      footer=${html`<button type="button" class="btn" onClick=${onCancel}>${t('common.cancel')}</button>
        <button type="button" class="btn btn-primary" id="panel-save" disabled=${busy} onClick=${save}>${t('common.save')}</button>`}>
    ${panel ? null : html`<${Field} id="f-panel-name" label=${t('panels.name')} required=${true} error=${fieldMessage(error, 'name')}>
      <input id="f-panel-name" value=${name} maxlength="100" onInput=${(e) => setName(e.target.value)} />
    </${Field}>`}
    <h4 class="subhead-h">${t('panels.experts')}</h4>
    <${CheckList} id="panel-experts" path="experts" err=${error} chosen=${ex} onChange=${setEx} empty=${t('panels.noExperts')}
      items=${experts.map((u) => ({ value: u.id, label: u.display_name || u.username, note: u.username, disabled: u.disabled }))} />
    <h4 class="subhead-h">${t('panels.applications')}</h4>
    <${CheckList} id="panel-applications" path="applications" err=${error} chosen=${ap} onChange=${setAp} empty=${t('panels.noApplications')}
      items=${apps.map((a) => ({ value: a.id, label: a.unit_name, disabled: onOther.has(a.id),
        note: onOther.has(a.id) ? t('panels.onOther', { name: onOther.get(a.id) }) : a.status !== 'submitted' ? t('status.returned') : '' }))} />
    ${error && error.field !== 'name' ? html`<${ErrorBox} error=${error} />` : null}
  </${Modal}>`;
}

export function PanelsTab({ campaign, user, onChange }) {
  const [panels, setPanels] = useState(null);
  const [experts, setExperts] = useState([]);
  const [apps, setApps] = useState([]);
  const [error, setError] = useState(null);
  const [editing, setEditing] = useState(null); // 'new' or a panel
  const [closing, setClosing] = useState(null);
  const [closeError, setCloseError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(null);
  const manage = can.managePanels(user) && campaign.stage === 'review';

  const load = async () => {
    try {
      const { data } = await api.get(`/api/v1/campaigns/${campaign.id}/panels`);
      setPanels(data.items);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    load();
    api.getAll(`/api/v1/campaigns/${campaign.id}/applications`).then(
      (items) => setApps(items.filter((a) => a.submitted_version)), () => {});
    if (can.viewUsers(user)) api.getAll('/api/v1/users', { role: 'expert' }).then(setExperts, () => {});
  }, [campaign.id]);

  const expertName = (id) => {
    const u = experts.find((x) => x.id === id);
    return u ? u.display_name || u.username : `#${id}`;
  };
  const appName = (id) => {
    const a = apps.find((x) => x.id === id);
    return a ? a.unit_name : `#${id}`;
  };
  const close = async () => {
    setBusy(true);
    setCloseError(null);
    try {
      await api.post(`/api/v1/panels/${closing.id}/close`, {});
      setDone(t('panels.closed', { name: closing.name }));
      setClosing(null);
      load();
      onChange();
    } catch (e) {
      setCloseError(e);
    } finally {
      setBusy(false);
    }
  };

  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!panels) return html`<${Loading} />`;
  return html`<section class="tab-panel" id="panels-tab">
    <div class="section-head">
      <h3>${t('panels.title')}<span class="count">${panels.length}</span></h3>
      ${manage ? html`<button type="button" class="btn btn-primary" id="new-panel" onClick=${() => setEditing('new')}>＋ ${t('panels.new')}</button>` : null}
    </div>
    ${campaign.stage !== 'review' && can.managePanels(user) ? html`<${Notice}>${t('panels.onlyInReview')}</${Notice}>` : null}
    ${done ? html`<${Notice} kind="ok">${done}</${Notice}>` : null}
    ${panels.length === 0 ? html`<div class="panel empty-panel">${t('panels.empty')}</div>` : null}
    ${panels.map((p) => html`<div class="panel panel-card" key=${p.id} data-panel-id=${p.id}>
      <div class="section-head">
        <h3>${p.name} <${Badge} family="panel" code=${p.status} /></h3>
        <div class="row-actions">
          ${manage && p.status === 'open' ? html`
            <button type="button" class="btn btn-small" id=${`edit-panel-${p.id}`} onClick=${() => setEditing(p)}>${t('panels.editMembers')}</button>
            <button type="button" class="btn btn-small btn-danger-outline" id=${`close-panel-${p.id}`}
              onClick=${() => { setCloseError(null); setClosing(p); }}>${t('panels.close')}</button>` : null}
          <a class="btn btn-small" href=${`/api/v1/panels/${p.id}/summary.xlsx`} download id=${`dl-panel-${p.id}`}>${t('panels.summaryXlsx')}</a>
        </div>
      </div>
      <div class="muted small">${t('panels.created_at')} ${fmtTime(p.created_at)}${p.closed_at ? ` · ${t('panels.closed_at')} ${fmtTime(p.closed_at)}` : ''}</div>
      <div class="facts-split">
        <div>
          <h4 class="subhead-h">${t('panels.experts')}（${p.experts.length}）</h4>
          <ul class="plain-list">${p.experts.map((e) => html`<li key=${e}>${expertName(e)}
            <a class="small" href=${`/api/v1/panels/${p.id}/scoresheet.xlsx?expert=${e}`} download>${t('panels.scoresheet')}</a></li>`)}</ul>
        </div>
        <div>
          <h4 class="subhead-h">${t('panels.applications')}（${p.applications.length}）</h4>
          <ul class="plain-list">${p.applications.map((a) => html`<li key=${a}><a href=${`#/applications/${a}`}>${appName(a)}</a></li>`)}</ul>
        </div>
      </div>
    </div>`)}
    ${editing ? html`<${PanelForm} campaign=${campaign} panel=${editing === 'new' ? null : editing} experts=${experts} apps=${apps}
      panels=${panels} onCancel=${() => setEditing(null)} onDone=${() => { setEditing(null); load(); }} />` : null}
    ${closing ? html`<${ConfirmDialog} title=${t('panels.closeTitle', { name: closing.name })} message=${t('panels.closeConfirm')}
      confirmLabel=${t('panels.close')} danger=${true} busy=${busy} error=${closeError} onConfirm=${close}
      onCancel=${() => setClosing(null)} />` : null}
  </section>`;
}

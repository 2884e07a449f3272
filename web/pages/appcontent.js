// pages/appcontent.js - an application's content, read-only, section by section
// in the template's order (used by the authority, the auditor, experts, and the
// unit once it has submitted). Every value is rendered as text.
import { html } from '../vendor/standalone.module.js';
import { t, getLang } from '../i18n.js';
import { fmtNumber, fmtBytes } from '../format.js';
import { InfoGrid, EmptyRow } from '../components/ui.js';
import { contactRoleName } from '../components/names.js';
import { SECTIONS, TEXT_SECTIONS, DECLARATIONS, specs, kindName } from './appmodel.js';

function cellText(spec, v) {
  if (v === null || v === undefined || v === '') return '';
  if (spec.type === 'check') return v ? t('common.yes') : t('common.no');
  if (spec.type === 'int') return spec.plain ? String(v) : fmtNumber(v);
  if (Array.isArray(v)) return v.join('、');
  return String(v);
}

function RowsTable({ sp, rows, id, render = {} }) {
  const list = rows || [];
  return html`<div class="table-wrap"><table class="table" id=${id}>
    <thead><tr><th class="num">#</th>${sp.map((s) => html`<th key=${s.k} class=${s.type === 'int' ? 'num' : ''}>${s.label}</th>`)}</tr></thead>
    <tbody>
      ${list.map((r, i) => html`<tr key=${i}><td class="num muted">${i + 1}</td>
        ${sp.map((s) => html`<td key=${s.k} class=${s.type === 'int' ? 'num' : s.type === 'textarea' ? 'pre' : s.mono ? 'mono' : ''}>
          ${render[s.k] ? render[s.k](r[s.k]) : cellText(s, r[s.k])}</td>`)}</tr>`)}
      ${list.length === 0 ? html`<${EmptyRow} cols=${sp.length + 1} />` : null}
    </tbody>
  </table></div>`;
}

function Text({ v }) {
  return v ? html`<div class="pre text-block">${v}</div>` : html`<p class="muted">${t('app.notFilled')}</p>`;
}

function capName(fields, code) {
  const f = (fields || []).find((x) => x.code === code);
  if (!f) return code;
  return getLang() === 'en' ? f.name_en || f.name_zh : f.name_zh;
}

export function SectionView({ k, content, refs }) {
  const sp = specs(refs);
  const c = content || {};
  const p = c.profile || {};
  switch (k) {
    case 'profile':
      return html`<div>
        <${InfoGrid} items=${sp.basic.map((s) => [s.label, s.type === 'textarea' ? (p[s.k] ? html`<div class="pre">${p[s.k]}</div>` : '')
          : s.mono && p[s.k] ? html`<span class="mono">${p[s.k]}</span>` : cellText(s, p[s.k]), s.wide || s.full])} />
        <h4 class="subhead-h">${t('unit.contacts')}</h4>
        <${RowsTable} sp=${sp.contacts} rows=${p.contacts} id="view-contacts" render=${{ role: (v) => contactRoleName(v) }} />
        <h4 class="subhead-h">${t('unit.offices')}</h4>
        <${RowsTable} sp=${sp.offices} rows=${p.offices} id="view-offices" render=${{ tenure: (v) => (v ? t(`office.tenure.${v}`) : '') }} />
        <h4 class="subhead-h">${t('unit.staff')}（${(p.staff || []).length}）</h4>
        <${RowsTable} sp=${sp.staff} rows=${p.staff} id="view-staff" />
        <h4 class="subhead-h">${t('unit.capabilities')}</h4>
        <${RowsTable} sp=${sp.capabilities} rows=${p.capabilities} id="view-capabilities" render=${{ field: (v) => capName(refs.fields, v) }} />
      </div>`;
    case 'security_since':
      return html`<p>${c.security_since || html`<span class="muted">${t('app.notFilled')}</span>`}</p>`;
    case 'finances':
    case 'qualifications':
    case 'projects':
    case 'typical_cases':
      return html`<${RowsTable} sp=${sp[k]} rows=${c[k]} id=${`view-${k}`} />`;
    case 'major_event_case': {
      const m = c.major_event_case || {};
      return html`<div><h4 class="subhead-h">${m.title || t('app.notFilled')}</h4><${Text} v=${m.text} /></div>`;
    }
    case 'declarations': {
      const d = c.declarations || {};
      return html`<ul class="declarations">${DECLARATIONS.map((x) => html`<li key=${x} class=${d[x] ? 'ok' : 'no'}>
        <span aria-hidden="true">${d[x] ? '☑' : '☐'}</span> ${t(`decl.${x}`)}</li>`)}</ul>`;
    }
    case 'attachments': {
      // The manifest a submission froze into the version: each file by its SHA-256.
      const files = Array.isArray(c.attachments) ? c.attachments : [];
      const kinds = refs.kinds || [];
      return html`<div>
        <p class="hint">${t('app.manifestHint')}</p>
        <div class="table-wrap"><table class="table" id="view-manifest">
          <thead><tr><th>${t('app.attachmentKind')}</th><th>${t('app.fileName')}</th><th class="num">${t('app.fileSize')}</th><th>SHA-256</th></tr></thead>
          <tbody>
            ${files.map((f, i) => html`<tr key=${i}><td>${kindName(kinds.find((x) => x.code === f.kind) || { code: f.kind })}</td>
              <td>${f.filename}</td><td class="num">${fmtBytes(f.size)}</td><td class="sha">${f.sha256}</td></tr>`)}
            ${files.length === 0 ? html`<${EmptyRow} cols=${4} text=${t('app.noManifest')} />` : null}
          </tbody>
        </table></div>
      </div>`;
    }
    default:
      if (TEXT_SECTIONS[k]) return html`<${Text} v=${c[k]} />`;
      return null;
  }
}

// The whole content; skip: sections not to render (e.g. attachments, shown apart).
export function ContentView({ content, refs, skip = ['attachments'] }) {
  return html`<div class="content-view" id="content-view">
    ${SECTIONS.filter((k) => !skip.includes(k)).map((k, i) => html`<section class="panel" key=${k} id=${`view-sec-${k}`}>
      <h3><span class="sec-no">${i + 1}</span>${t(`sec.${k}`)}</h3>
      <${SectionView} k=${k} content=${content} refs=${refs} />
    </section>`)}
  </div>`;
}

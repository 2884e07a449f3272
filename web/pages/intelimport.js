// pages/intelimport.js - importing a file into the indicator store (POST
// /api/v1/indicators/import with the file as the body): STIX 2.1, a MISP event, CSV
// (with a header row, or the columns mapped here) or a plain list. The format is
// guessed from the file and may be changed; the answer's counts (read, new, merged,
// flagged by a warning list) and every part not imported are shown.
import { html, useState } from '../vendor/standalone.module.js';
import * as api from '../api.js';
import { t } from '../i18n.js';
import { fmtBytes } from '../format.js';
import { ErrorBox, Field, Notice, EmptyRow, fieldMessage } from '../components/ui.js';
import { IMPORT_FORMATS, CSV_COLUMNS, formatName } from './threatmodel.js';
import { IntelNav } from './intelindicators.js';

const MAX_IMPORT = 64 * 1024 * 1024;
const SKIP = 'skip';

// The format a file most likely is, from its name and first bytes.
async function guessFormat(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.txt') || name.endsWith('.lst')) return 'plain';
  let head = '';
  try {
    head = await file.slice(0, 8192).text();
  } catch (e) {
    return '';
  }
  if (/"type"\s*:\s*"bundle"/.test(head)) return 'stix';
  if (/"Event"\s*:/.test(head)) return 'misp';
  if (/^\s*[{[]/.test(head)) return 'stix';
  return /[,;\t]/.test(head.split('\n')[0]) ? 'csv' : 'plain';
}

// The cells of the first line of a CSV file (for mapping its columns).
async function firstRow(file) {
  const head = await file.slice(0, 8192).text();
  const line = head.split(/\r?\n/).find((l) => l.trim() && !l.startsWith('#')) || '';
  const sep = [',', ';', '\t', '|'].find((c) => line.includes(c)) || ',';
  return line.split(sep).map((x) => x.trim().replace(/^"|"$/g, ''));
}

function Result({ r }) {
  const problems = r.problems || [];
  return html`<section class="panel" id="import-result" data-import-id=${r.import_id}>
    <h3>${t('imp.result')}</h3>
    <div class="count-tiles">
      ${['objects', 'imported', 'merged', 'flagged'].map((k) => html`<div class="count-tile" key=${k} id=${`import-${k}`} data-count=${r[k]}>
        <span class="count-tile-n">${r[k]}</span><span class="count-tile-name">${t(`imp.${k}`)}</span></div>`)}
      <div class="count-tile" id="import-problems-count" data-count=${problems.length}>
        <span class="count-tile-n">${problems.length}</span><span class="count-tile-name">${t('imp.problems')}</span></div>
    </div>
    <p class="muted small">${t('imp.resultHint', { source: r.source, format: formatName(r.format) })}</p>
    ${problems.length ? html`<div class="table-wrap"><table class="table table-compact" id="import-problems">
      <thead><tr><th>${t('imp.where')}</th><th>${t('imp.object')}</th><th>${t('imp.reason')}</th></tr></thead>
      <tbody>
        ${problems.map((p, i) => html`<tr key=${i}><td class="nowrap">${p.where === 'more' ? t('imp.more') : p.where}</td>
          <td class="mono break">${p.object || ''}</td><td>${p.where === 'more' ? t('imp.moreN', { n: p.reason }) : p.reason}</td></tr>`)}
        ${problems.length === 0 ? html`<${EmptyRow} cols=${3} />` : null}
      </tbody>
    </table></div>` : html`<${Notice} kind="ok">${t('imp.noProblems')}</${Notice}>`}
  </section>`;
}

export function IndicatorImportPage({ user }) {
  const [file, setFile] = useState(null);
  const [format, setFormat] = useState('');
  const [source, setSource] = useState('');
  const [header, setHeader] = useState(true);
  const [cells, setCells] = useState([]);
  const [columns, setColumns] = useState([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [result, setResult] = useState(null);

  const pick = async (e) => {
    const f = (e.target.files || [])[0];
    e.target.value = '';
    setResult(null);
    setError(null);
    if (!f) return;
    setFile(f);
    if (!source) setSource(f.name.replace(/\.[^.]+$/, '').slice(0, 200));
    const g = await guessFormat(f);
    if (g) setFormat(g);
    if (g === 'csv') {
      const row = await firstRow(f);
      setCells(row);
      setColumns(row.map((c, i) => (CSV_COLUMNS.includes(c.toLowerCase()) ? c.toLowerCase() : i === 0 ? 'value' : SKIP)));
    }
  };
  const go = async (e) => {
    e.preventDefault();
    if (!file) {
      setError({ code: 'invalid', field: 'body', message: t('imp.pickFile'), local: true });
      return;
    }
    if (file.size === 0 || file.size > MAX_IMPORT) {
      setError({ code: 'invalid', field: 'body', message: t(file.size ? 'imp.tooLarge' : 'imp.emptyFile'), local: true });
      return;
    }
    const query = { format, source: source.trim() };
    if (format === 'csv' && !header) query.columns = columns.join(',');
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await api.request('POST', '/api/v1/indicators/import', { raw: file, query });
      setResult(r.data);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const local = (k) => (error && error.local && error.field === k ? error.message : '');
  return html`<div class="page page-wide" id="import-page">
    <div class="page-head">
      <div>
        <div class="crumbs"><a href="#/indicators">${t('nav.indicators')}</a></div>
        <h2>${t('imp.title')}</h2>
        <div class="subhead">${t('imp.subtitle')}</div>
      </div>
    </div>
    <${IntelNav} user=${user} active="import" />
    <form class="panel" id="import-form" onSubmit=${go} novalidate>
      <div class="form-grid">
        <${Field} id="import-file" label=${t('imp.file')} required=${true} wide=${true} error=${local('body')}>
          <div class="inline-inputs">
            <label class="btn" for="import-file">${t('imp.choose')}</label>
            <input class="visually-hidden" type="file" id="import-file" onChange=${pick}
              accept=".json,.csv,.txt,.stix,.misp,application/json,text/csv,text/plain" />
            <span id="import-file-name">${file ? `${file.name} · ${fmtBytes(file.size)}` : html`<span class="muted">${t('imp.noFile')}</span>`}</span>
          </div>
        </${Field}>
        <${Field} id="import-format" label=${t('imp.format')} required=${true} error=${fieldMessage(error, 'format')}>
          <select id="import-format" value=${format} onChange=${(e) => setFormat(e.target.value)}>
            <option value="">${t('form.selectPlaceholder')}</option>
            ${IMPORT_FORMATS.map((f) => html`<option key=${f} value=${f}>${formatName(f)}</option>`)}
          </select></${Field}>
        <${Field} id="import-source" label=${t('imp.source')} required=${true} error=${fieldMessage(error, 'source')} hint=${t('imp.sourceHint')}>
          <input id="import-source" value=${source} maxlength="200" onInput=${(e) => setSource(e.target.value)} /></${Field}>
        ${format === 'csv' ? html`<div class="field field-full">
          <label class="check-row"><input type="checkbox" id="import-header" checked=${header}
            onChange=${(e) => setHeader(e.target.checked)} /><span>${t('imp.header')}</span></label>
          ${!header ? html`<div id="import-columns">
            <p class="hint">${t('imp.mapHint')}</p>
            ${fieldMessage(error, 'columns') ? html`<div class="field-error" role="alert">${fieldMessage(error, 'columns')}</div>` : null}
            <div class="table-wrap"><table class="table table-compact">
              <thead><tr>${cells.map((c, i) => html`<th key=${i}>${t('imp.column', { n: i + 1 })}</th>`)}</tr></thead>
              <tbody>
                <tr>${cells.map((c, i) => html`<td key=${i} class="mono small">${c}</td>`)}</tr>
                <tr>${cells.map((c, i) => html`<td key=${i}><select id=${`import-col-${i}`} value=${columns[i]}
                  aria-label=${t('imp.column', { n: i + 1 })}
                  onChange=${(e) => setColumns((p) => p.map((x, j) => (j === i ? e.target.value : x)))}>
                  <option value=${SKIP}>${t('imp.skip')}</option>
                  ${CSV_COLUMNS.map((k) => html`<option key=${k} value=${k}>${k}</option>`)}
                </select></td>`)}</tr>
              </tbody>
            </table></div>
          </div>` : null}
        </div>` : null}
      </div>
      ${error && !error.local && !['format', 'source', 'columns', 'body'].includes(error.field) ? html`<${ErrorBox} error=${error} />` : null}
      ${error && error.field === 'body' && !error.local ? html`<div id="import-error"><${ErrorBox} error=${error} /></div>` : null}
      <div class="form-actions-inline section-gap">
        <button type="submit" class="btn btn-primary" id="import-go" disabled=${busy || !format}>${busy ? t('imp.importing') : t('imp.go')}</button>
      </div>
    </form>
    ${result ? html`<${Result} r=${result} />` : null}
  </div>`;
}

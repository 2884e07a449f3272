// verify.js - the public certificate look-up (/verify): anyone types a certificate
// number and sees what GET /public/certificates/{number} answers: the holder, title,
// issuing authorities, validity, status and its history. No login, no cookies sent.
// Every string from the server is put into the page with textContent, never as HTML.
// Chinese by default, English on request (remembered like the main UI's choice).

const STORAGE_KEY = 'yj.lang';

const strings = {
  zh: {
    doc_title: '支撑单位证书查询',
    title: '网络安全应急技术支撑单位证书查询',
    intro: '输入证书编号，查询证书的持有单位、有效期和当前状态（有效、暂停、注销、撤销、过期）及其变更记录。无需登录。',
    label: '证书编号',
    placeholder: '例如 LPS-YJ-2026-001',
    submit: '查询',
    note: '本页仅显示证书的公开信息；时间均为北京时间。',
    switch_to: 'English',
    loading: '正在查询……',
    empty: '请输入证书编号。',
    too_long: '证书编号不超过 64 个字符，请核对。',
    not_found: '未找到编号为“{number}”的证书，请核对编号后重试。',
    rate_limited: '查询过于频繁，请 {seconds} 秒后再试。',
    rate_limited_later: '查询过于频繁，请稍后再试。',
    failed: '查询失败（HTTP {status}），请稍后再试。',
    network: '无法连接服务器，请检查网络后重试。',
    holder: '持有单位',
    cert_title: '称号',
    authorities: '发证机关',
    validity: '有效期',
    validity_range: '{from} 至 {to}',
    history: '状态记录',
    status_valid: '有效',
    status_suspended: '暂停',
    status_cancelled: '注销',
    status_revoked: '撤销',
    status_expired: '过期',
    meaning_valid: '证书在有效期内，状态正常。',
    meaning_suspended: '证书已被主管部门暂停，可能在复核后恢复。',
    meaning_cancelled: '证书已注销。',
    meaning_revoked: '证书已被主管部门撤销。',
    meaning_expired: '证书已超过有效期。',
    history_first: '（颁发）',
    locale: 'zh-CN',
  },
  en: {
    doc_title: 'Certificate look-up',
    title: 'Cybersecurity emergency support unit: certificate look-up',
    intro: 'Enter a certificate number to see its holder, validity and current status (valid, suspended, cancelled, revoked, expired) with its history. No login needed.',
    label: 'Certificate number',
    placeholder: 'e.g. LPS-YJ-2026-001',
    submit: 'Look up',
    note: 'This page shows only the public facts of a certificate; times are Beijing time.',
    switch_to: '中文',
    loading: 'Looking up…',
    empty: 'Enter a certificate number.',
    too_long: 'A certificate number has at most 64 characters; check it.',
    not_found: 'No certificate has the number “{number}”. Check the number and try again.',
    rate_limited: 'Too many look-ups; try again in {seconds} seconds.',
    rate_limited_later: 'Too many look-ups; try again later.',
    failed: 'The look-up failed (HTTP {status}); try again later.',
    network: 'Cannot reach the server; check your connection and try again.',
    holder: 'Holder',
    cert_title: 'Title',
    authorities: 'Issued by',
    validity: 'Valid',
    validity_range: '{from} to {to}',
    history: 'Status history',
    status_valid: 'Valid',
    status_suspended: 'Suspended',
    status_cancelled: 'Cancelled',
    status_revoked: 'Revoked',
    status_expired: 'Expired',
    meaning_valid: 'The certificate is within its validity and in good standing.',
    meaning_suspended: 'The authority has suspended the certificate; it may be reinstated after review.',
    meaning_cancelled: 'The certificate has been cancelled.',
    meaning_revoked: 'The authority has revoked the certificate.',
    meaning_expired: 'The certificate is past its validity.',
    history_first: ' (issued)',
    locale: 'en-GB',
  },
};

const STATUSES = ['valid', 'suspended', 'cancelled', 'revoked', 'expired'];

function initialLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'zh' || v === 'en') return v;
  } catch (e) {
    /* storage unavailable: the default */
  }
  return 'zh';
}

let lang = initialLang();
let last = null; // what is shown, so a language switch can redraw it: {kind, ...}

function t(key, params) {
  let s = strings[lang][key];
  if (s === undefined) s = strings.zh[key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

// An element with a class and children (strings become text nodes).
function el(tag, className, ...children) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function statusClass(status) {
  return STATUSES.includes(status) ? `status-${status}` : 'status-unknown';
}

function statusName(status) {
  return STATUSES.includes(status) ? t(`status_${status}`) : String(status);
}

function formatTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(t('locale'), {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

const $ = (id) => document.getElementById(id);

function showMessage(text, kind) {
  const m = $('message');
  m.textContent = text;
  m.className = `message${kind ? ` ${kind}` : ''}`;
  m.hidden = false;
}

function hideMessage() {
  $('message').hidden = true;
  $('message').textContent = '';
}

function renderCertificate(c) {
  const card = $('result');
  card.replaceChildren();
  card.className = `card ${statusClass(c.status)}`;
  const head = el('div', 'head', el('span', 'number', c.number),
    el('span', `badge ${statusClass(c.status)}`, statusName(c.status)));
  card.append(head);
  if (STATUSES.includes(c.status)) card.append(el('p', 'meaning', t(`meaning_${c.status}`)));
  const facts = el('dl', 'facts');
  const fact = (label, value) => facts.append(el('dt', null, label), el('dd', null, value));
  fact(t('holder'), c.holder_name);
  fact(t('cert_title'), c.title);
  fact(t('authorities'), c.issuing_authorities);
  fact(t('validity'), t('validity_range', { from: c.valid_from, to: c.valid_to }));
  card.append(facts);
  card.append(el('h2', null, t('history')));
  const list = el('ol', 'history');
  (Array.isArray(c.history) ? c.history : []).forEach((h, i) => {
    const what = i === 0 ? statusName(h.status) + t('history_first') : statusName(h.status);
    list.append(el('li', statusClass(h.status), el('span', null, what),
      el('time', 'when', formatTime(h.at))));
  });
  card.append(list);
  card.hidden = false;
}

function redraw() {
  if (!last) return;
  if (last.kind === 'certificate') {
    hideMessage();
    renderCertificate(last.data);
  } else {
    $('result').hidden = true;
    showMessage(t(last.key, last.params), last.style);
  }
}

function fail(key, params, style = 'error') {
  last = { kind: 'message', key, params, style };
  redraw();
}

async function lookup(raw) {
  const number = raw.trim();
  if (!number) return fail('empty', null, 'warn');
  if ([...number].length > 64) return fail('too_long', null, 'warn');
  const url = new URL(window.location.href);
  url.searchParams.set('number', number);
  window.history.replaceState(null, '', url);
  const button = $('submit');
  button.disabled = true;
  $('result').hidden = true;
  showMessage(t('loading'));
  try {
    const resp = await fetch(`/public/certificates/${encodeURIComponent(number)}`, {
      headers: { Accept: 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
    });
    if (resp.status === 200) {
      last = { kind: 'certificate', data: await resp.json() };
      redraw();
    } else if (resp.status === 404) {
      fail('not_found', { number });
    } else if (resp.status === 429) {
      const seconds = parseInt(resp.headers.get('Retry-After') || '', 10);
      if (seconds > 0) fail('rate_limited', { seconds }, 'warn');
      else fail('rate_limited_later', null, 'warn');
    } else {
      fail('failed', { status: resp.status });
    }
  } catch (e) {
    fail('network');
  } finally {
    button.disabled = false;
  }
}

function applyLang() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('doc_title');
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  const toggle = $('lang');
  toggle.textContent = t('switch_to');
  toggle.lang = lang === 'zh' ? 'en' : 'zh-CN';
  redraw();
}

function start() {
  $('lookup').addEventListener('submit', (ev) => {
    ev.preventDefault();
    lookup($('number').value);
  });
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch (e) {
      /* not remembered; still switched */
    }
    applyLang();
  });
  applyLang();
  // A link or QR code may carry the number: /verify?number=LPS-YJ-2026-001
  const given = new URLSearchParams(window.location.search).get('number');
  if (given) {
    $('number').value = given;
    lookup(given);
  } else {
    $('number').focus();
  }
}

start();

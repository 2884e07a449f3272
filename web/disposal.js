// disposal.js - the owner's page of a disposal notice (/disposal.html#<token>), opened from
// the link in the notice's e-mail. The token stays in the URL's fragment, so it is never
// sent with the page request; the script passes it to /public/disposals/{token} only. No
// login and no cookies. Shows what was sent (the values, five-tuples, measure, deadline
// and the original text) with its state and history, and lets the owner confirm receipt
// and report the result. Every string from the server goes in with textContent, never as
// HTML. Chinese by default, English on request (remembered like the other pages' choice).

const STORAGE_KEY = 'yj.lang';

const strings = {
  zh: {
    doc_title: '网络安全威胁处置通知',
    title: '网络安全威胁处置通知',
    intro: '本页显示主管部门发给贵单位的处置通知。请确认收到，并在处置完成后反馈处置结果。无需登录；请勿转发本页链接。',
    note: '时间均为北京时间。如对本通知有疑问，请与发出通知的主管部门联系。',
    switch_to: 'English',
    loading: '正在读取通知……',
    no_token: '链接不完整：请从通知邮件中的链接打开本页。',
    not_found: '链接无效或已失效（通知可能已重新发送，请使用最新邮件中的链接）。',
    rate_limited: '请求过于频繁，请 {seconds} 秒后再试。',
    rate_limited_later: '请求过于频繁，请稍后再试。',
    failed: '操作失败（HTTP {status}），请稍后再试。',
    network: '无法连接服务器，请检查网络后重试。',
    conflict: '通知状态已变化，页面已刷新：{message}',
    invalid: '请检查填写的内容：{message}',
    feedback_empty: '请填写处置结果。',
    acked: '已确认收到，谢谢。处置完成后请在下方反馈处置结果。',
    handled_ok: '处置结果已提交，谢谢。',
    status_sent: '待确认',
    status_acknowledged: '已确认收到',
    status_handled: '已处置',
    overdue: '已超期',
    handled_late: '超期后处置',
    owner: '责任单位',
    report: '威胁名称',
    measure: '处置措施',
    requirement: '处置要求',
    deadline: '处置时限',
    remaining: '剩余 {time}',
    late_by: '已超过 {time}',
    sent_at: '通知时间',
    acknowledged_at: '确认收到',
    handled_at: '处置完成',
    feedback: '处置结果',
    by: '（{name}）',
    values: '涉及贵单位的网络资源',
    value: '资源',
    type: '类型',
    role: '角色',
    tuples: '相关通信五元组',
    src: '源地址',
    dst: '目的地址',
    protocol: '协议',
    seen: '发现时间',
    count: '次数',
    original: '通知原文',
    history: '处理记录',
    ev_sent: '发出通知',
    ev_resent: '重新发送通知',
    ev_acknowledged: '确认收到',
    ev_handled: '反馈处置结果',
    ev_overdue: '超过处置时限',
    days: '{n} 天',
    hours: '{n} 小时',
    minutes: '{n} 分钟',
    ack_title: '确认收到',
    name_label: '填写人（可选）',
    name_placeholder: '姓名或岗位',
    ack_submit: '确认收到本通知',
    handled_title: '反馈处置结果',
    feedback_label: '处置结果（必填）',
    feedback_placeholder: '已采取的措施及其效果，例如：已封堵控制端IP地址，已清除受控主机上的恶意程序。',
    handled_submit: '提交处置结果',
    locale: 'zh-CN',
  },
  en: {
    doc_title: 'Cybersecurity threat disposal notice',
    title: 'Cybersecurity threat disposal notice',
    intro: 'This page shows the disposal notice the authority sent to your organisation. Please confirm receipt, and report the result once handled. No login needed; do not forward this link.',
    note: 'Times are Beijing time. For questions about this notice, contact the authority that sent it.',
    switch_to: '中文',
    loading: 'Loading the notice…',
    no_token: 'The link is incomplete: open this page from the link in the notice e-mail.',
    not_found: 'The link is invalid or no longer valid (the notice may have been sent again: use the link in the latest e-mail).',
    rate_limited: 'Too many requests; try again in {seconds} seconds.',
    rate_limited_later: 'Too many requests; try again later.',
    failed: 'The request failed (HTTP {status}); try again later.',
    network: 'Cannot reach the server; check your connection and try again.',
    conflict: 'The notice has changed and the page was refreshed: {message}',
    invalid: 'Please check what you entered: {message}',
    feedback_empty: 'Please describe the result.',
    acked: 'Receipt confirmed, thank you. Please report the result below once handled.',
    handled_ok: 'The result was submitted, thank you.',
    status_sent: 'Awaiting confirmation',
    status_acknowledged: 'Receipt confirmed',
    status_handled: 'Handled',
    overdue: 'Overdue',
    handled_late: 'Handled after the deadline',
    owner: 'Organisation',
    report: 'Threat',
    measure: 'Measure',
    requirement: 'Required',
    deadline: 'Deadline',
    remaining: '{time} left',
    late_by: '{time} past',
    sent_at: 'Sent',
    acknowledged_at: 'Receipt confirmed',
    handled_at: 'Handled',
    feedback: 'Result',
    by: ' ({name})',
    values: 'Your network resources concerned',
    value: 'Resource',
    type: 'Type',
    role: 'Role',
    tuples: 'Five-tuples concerned',
    src: 'Source',
    dst: 'Destination',
    protocol: 'Protocol',
    seen: 'Seen',
    count: 'Count',
    original: 'The notice as sent',
    history: 'History',
    ev_sent: 'Notice sent',
    ev_resent: 'Notice sent again',
    ev_acknowledged: 'Receipt confirmed',
    ev_handled: 'Result reported',
    ev_overdue: 'Deadline passed',
    days: '{n} d',
    hours: '{n} h',
    minutes: '{n} min',
    ack_title: 'Confirm receipt',
    name_label: 'Your name (optional)',
    name_placeholder: 'Name or position',
    ack_submit: 'Confirm receipt of this notice',
    handled_title: 'Report the result',
    feedback_label: 'Result (required)',
    feedback_placeholder: 'What was done and its effect, e.g. the C&C address was blocked and the malware removed from the compromised hosts.',
    handled_submit: 'Submit the result',
    locale: 'en-GB',
  },
};

// What the server names in Chinese only: their English for the English page.
const english = {
  measure: {
    stop_service: 'Stop the service', block_resource: 'Block the resource',
    remove_malware: 'Remove the malware', order_fix: 'Fix (rectification ordered)', other: 'Other technical measures',
  },
  role: {
    c2: 'C&C', victim: 'Victim', malicious: 'Malicious resource', src_ip: 'Source IP', dst_ip: 'Destination IP',
  },
};
const blocksZh = {
  domain_resolution: '暂停域名解析', ip: '封堵IP', url: '封堵URL', account: '封停账号', number: '关停号码',
};
const blocksEn = {
  domain_resolution: 'suspend domain resolution', ip: 'block the IP', url: 'block the URL',
  account: 'suspend the account', number: 'shut down the number',
};
const STATUSES = ['sent', 'acknowledged', 'handled'];
const EVENTS = ['sent', 'resent', 'acknowledged', 'handled', 'overdue'];

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
let notice = null; // the last answer of the server
let note = null; // the message shown: {key, params, style}
const token = decodeURIComponent(window.location.hash.replace(/^#/, '')).trim();

function t(key, params) {
  let s = strings[lang][key];
  if (s === undefined) s = strings.zh[key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

function el(tag, className, ...children) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c ?? '')));
  return e;
}

const $ = (id) => document.getElementById(id);

function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(t('locale'), {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(d);
}

function duration(ms) {
  const m = Math.floor(Math.abs(ms) / 60000);
  const d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), min = m % 60;
  const parts = [];
  if (d) parts.push(t('days', { n: d }));
  if (h) parts.push(t('hours', { n: h }));
  if (!d) parts.push(t('minutes', { n: min }));
  return parts.join(' ');
}

function endpoint(ip, port) {
  if (port === null || port === undefined) return ip;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

function measureText(n) {
  const name = lang === 'en' ? english.measure[n.measure] ?? n.measure : n.measure_name_zh;
  const table = lang === 'en' ? blocksEn : blocksZh;
  const blocks = (n.blocks || []).map((b) => table[b] ?? b);
  if (!blocks.length) return name;
  return lang === 'en' ? `${name} (${blocks.join(', ')})` : `${name}（${blocks.join('、')}）`;
}

function showMessage() {
  const m = $('message');
  if (!note) {
    m.hidden = true;
    m.textContent = '';
    return;
  }
  m.textContent = t(note.key, note.params);
  m.className = `message${note.style ? ` ${note.style}` : ''}`;
  m.hidden = false;
}

function say(key, params, style) {
  note = key ? { key, params, style } : null;
  showMessage();
}

function table(headers, rows) {
  const tbl = el('table', 'listing');
  tbl.append(el('thead', null, el('tr', null, ...headers.map((h) => el('th', null, h)))));
  const body = el('tbody');
  for (const r of rows) body.append(el('tr', null, ...r.map((c) => el('td', c.mono ? 'mono' : null, c.text))));
  tbl.append(body);
  return tbl;
}

function renderNotice(n) {
  const card = $('notice');
  card.replaceChildren();
  const status = STATUSES.includes(n.status) ? n.status : 'sent';
  card.className = `card status-${status}${n.overdue && status !== 'handled' ? ' overdue' : ''}`;
  const badges = el('div', 'badges', el('span', `badge status-${status}`, t(`status_${status}`)));
  if (n.overdue) badges.append(el('span', 'badge overdue', t(status === 'handled' ? 'handled_late' : 'overdue')));
  card.append(el('div', 'head', el('span', 'subject', n.subject), badges));

  const facts = el('dl', 'facts');
  const fact = (label, ...value) => facts.append(el('dt', null, label), el('dd', null, ...value));
  fact(t('owner'), n.constituent_name);
  fact(t('report'), n.threat_report_title);
  fact(t('measure'), measureText(n));
  if (n.measure_text) fact(t('requirement'), n.measure_text);
  const deadline = [formatTime(n.deadline_at)];
  if (typeof n.remaining_ms === 'number') {
    const late = n.remaining_ms < 0;
    deadline.push(' ', el('span', `remaining${late ? ' late' : ''}`,
      t(late ? 'late_by' : 'remaining', { time: duration(n.remaining_ms) })));
  }
  fact(t('deadline'), ...deadline);
  fact(t('sent_at'), formatTime(n.sent_at));
  if (n.acknowledged_at) {
    fact(t('acknowledged_at'), formatTime(n.acknowledged_at) + (n.acknowledged_by ? t('by', { name: n.acknowledged_by }) : ''));
  }
  if (n.handled_at) {
    fact(t('handled_at'), formatTime(n.handled_at) + (n.handled_by ? t('by', { name: n.handled_by }) : ''));
  }
  if (n.feedback) fact(t('feedback'), n.feedback);
  card.append(facts);

  if (Array.isArray(n.matched) && n.matched.length) {
    card.append(el('h2', null, t('values')));
    card.append(table([t('value'), t('type'), t('role')], n.matched.map((v) => [
      { text: v.value, mono: true },
      { text: lang === 'en' ? v.type : v.type_name_zh },
      { text: lang === 'en' ? english.role[v.role] ?? v.role : v.role_name_zh },
    ])));
  }
  if (Array.isArray(n.five_tuples) && n.five_tuples.length) {
    card.append(el('h2', null, t('tuples')));
    card.append(table([t('src'), t('dst'), t('protocol'), t('seen'), t('count')], n.five_tuples.map((x) => [
      { text: endpoint(x.src_ip, x.src_port), mono: true },
      { text: endpoint(x.dst_ip, x.dst_port), mono: true },
      { text: String(x.protocol).toUpperCase() },
      { text: [formatTime(x.first_seen), formatTime(x.last_seen)].filter(Boolean).join(' – ') },
      { text: x.count },
    ])));
  }
  card.append(el('h2', null, t('original')));
  card.append(el('pre', 'original', n.text));
  card.append(el('h2', null, t('history')));
  const list = el('ol', 'history');
  for (const e of Array.isArray(n.events) ? n.events : []) {
    const what = EVENTS.includes(e.action) ? t(`ev_${e.action}`) : e.action;
    const item = el('li', null, el('span', null, what + (e.by ? t('by', { name: e.by }) : '')),
      el('time', 'when', formatTime(e.at)));
    if (e.note) item.append(el('div', 'small', e.note));
    list.append(item);
  }
  card.append(list);
  card.hidden = false;

  $('ack-form').hidden = status !== 'sent';
  $('handled-form').hidden = status === 'handled';
  $('actions').hidden = status === 'handled';
}

function redraw() {
  if (notice) renderNotice(notice);
  showMessage();
}

// The server's answer to a failed request as a message.
async function failure(resp) {
  let body = null;
  try {
    body = await resp.json();
  } catch (e) {
    /* not JSON */
  }
  const message = body && body.error ? body.error.message : '';
  if (resp.status === 404) return say('not_found', null, 'error');
  if (resp.status === 429) {
    const seconds = parseInt(resp.headers.get('Retry-After') || '', 10);
    return seconds > 0 ? say('rate_limited', { seconds }, 'warn') : say('rate_limited_later', null, 'warn');
  }
  if (resp.status === 409) {
    await load(false);
    return say('conflict', { message }, 'warn');
  }
  if (resp.status === 400) return say('invalid', { message }, 'error');
  return say('failed', { status: resp.status }, 'error');
}

async function load(announce) {
  if (announce) say('loading');
  try {
    const resp = await fetch(`/public/disposals/${encodeURIComponent(token)}`, {
      headers: { Accept: 'application/json' }, credentials: 'omit', cache: 'no-store',
    });
    if (resp.status !== 200) {
      $('notice').hidden = true;
      $('actions').hidden = true;
      return failure(resp);
    }
    notice = await resp.json();
    if (announce) say(null);
    redraw();
  } catch (e) {
    say('network', null, 'error');
  }
}

async function answer(step, body, button, done) {
  button.disabled = true;
  try {
    const resp = await fetch(`/public/disposals/${encodeURIComponent(token)}/${step}`, {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      body: JSON.stringify(body),
    });
    if (resp.status === 200) {
      notice = await resp.json();
      say(done, null, 'ok');
      redraw();
    } else {
      await failure(resp);
    }
  } catch (e) {
    say('network', null, 'error');
  } finally {
    button.disabled = false;
  }
}

function named(id, body) {
  const name = $(id).value.trim();
  if (name) body.name = name;
  return body;
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
  $('lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    try {
      localStorage.setItem(STORAGE_KEY, lang);
    } catch (e) {
      /* not remembered; still switched */
    }
    applyLang();
  });
  $('ack-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    answer('acknowledge', named('ack-name', {}), $('ack-submit'), 'acked');
  });
  $('handled-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const feedback = $('feedback').value.trim();
    if (!feedback) {
      say('feedback_empty', null, 'warn');
      $('feedback').focus();
      return;
    }
    answer('handled', named('handled-name', { feedback }), $('handled-submit'), 'handled_ok');
  });
  applyLang();
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) {
    say('no_token', null, 'error');
    return;
  }
  load(true);
}

start();

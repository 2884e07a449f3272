// pages/threatmodel.js - the codes of threat reports, early warnings, disposal
// notices, the indicator store and the constituency (docs/api-threats.md,
// api-indicators.md, api-constituency.md), their localized names and badges, the
// disposal suggested per category, and guessing an indicator's type from its value
// the way the server's intel_guess does (only to pre-select; the server decides).
import { html } from '../vendor/standalone.module.js';
import { t, has, getLang } from '../i18n.js';

export const CATEGORIES = ['malicious_ip', 'malicious_domain', 'malicious_url', 'malicious_message', 'malware',
  'botnet', 'phishing', 'hazard', 'event', 'other'];
export const MEASURES = ['stop_service', 'block_resource', 'remove_malware', 'order_fix', 'other'];
export const BLOCKS = ['domain_resolution', 'ip', 'url', 'account', 'number'];
export const ROLES = ['c2', 'victim', 'malicious', 'sample', 'app'];
export const THREAT_STATUSES = ['draft', 'submitted', 'returned', 'accepted', 'rejected_duplicate', 'rejected_unfounded'];
export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'other'];
export const INTEL_TYPES = ['ipv4', 'ipv6', 'cidr4', 'cidr6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256',
  'sm3', 'cc', 'app'];
export const HASH_TYPES = ['md5', 'sha1', 'sha256', 'sm3'];
export const C2_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'cc'];
export const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'];
export const COLOURS = ['red', 'orange', 'yellow', 'blue'];
export const WARNING_STATUSES = ['draft', 'submitted', 'returned', 'published', 'rejected'];
export const DISPOSAL_STATUSES = ['sent', 'acknowledged', 'handled'];
export const CONSTITUENT_KINDS = ['operator', 'platform', 'government', 'cii', 'other'];
export const CONTACT_ROLES = ['abuse', 'security', 'other'];
export const FEED_FORMATS = ['stix', 'misp', 'misp_feed', 'csv', 'plain'];
export const IMPORT_FORMATS = ['stix', 'misp', 'csv', 'plain'];
export const CSV_COLUMNS = ['value', 'type', 'category', 'confidence', 'tlp', 'sightings', 'tags', 'first_seen',
  'last_seen', 'valid_until', 'subdomains', 'description', 'external_id'];

// The roles each indicator type may take (src/intel/threats.c).
const NETWORK = ['ipv4', 'ipv6', 'cidr4', 'cidr6', 'domain', 'url', 'email', 'cc'];
export const ROLE_TYPES = {
  c2: C2_TYPES,
  victim: ['ipv4', 'ipv6', 'cidr4', 'cidr6', 'domain', 'url', 'email'],
  malicious: NETWORK,
  sample: HASH_TYPES,
  app: ['app'],
};

// The suggestion the server pre-fills per category (threat_disposal_default); the
// text stays Chinese in either language, as it goes into the notices.
export const DEFAULT_DISPOSAL = {
  malicious_ip: ['block_resource', ['ip'], '对恶意IP地址实施封堵。'],
  malicious_domain: ['block_resource', ['domain_resolution'], '暂停恶意域名解析。'],
  malicious_url: ['block_resource', ['url'], '对恶意URL实施封堵。'],
  malicious_message: ['block_resource', ['account', 'number'], '封停发送恶意电子信息的账号、号码。'],
  malware: ['remove_malware', [], '清除受感染主机和终端上的恶意程序，下架恶意应用。'],
  botnet: ['block_resource', ['ip', 'domain_resolution'], '封堵控制端IP地址并暂停控制端域名解析，清除受控主机上的恶意程序。'],
  phishing: ['block_resource', ['domain_resolution', 'url'], '暂停钓鱼网站域名解析并封堵其URL。'],
  hazard: ['order_fix', [], '责令相关单位限期修复安全隐患。'],
  event: ['order_fix', [], '责令相关单位处置安全事件并限期整改。'],
  other: ['other', [], '采取其他必要的技术措施。'],
};

export function defaultDisposal(category) {
  const [measure, blocks, text] = DEFAULT_DISPOSAL[category] || DEFAULT_DISPOSAL.other;
  return { measure, blocks: blocks.slice(), text };
}

const named = (prefix, code) => {
  if (code === null || code === undefined || code === '') return t('common.none');
  return has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : String(code);
};

export const categoryName = (c) => named('threat.cat', c);
export const measureName = (c) => named('threat.measure', c);
export const blockName = (c) => named('threat.block', c);
export const roleName = (c) => named('threat.role', c);
export const threatStatusName = (c) => named('threat.status', c);
export const protocolName = (c) => named('threat.proto', c);
export const typeName = (c) => named('intel.type', c);
export const tlpName = (c) => named('intel.tlp', c);
export const colourName = (c) => named('warn.colour', c);
export const warningStatusName = (c) => named('warn.status', c);
export const disposalStatusName = (c) => named('dispo.status', c);
export const kindName = (c) => named('cons.kind', c);
export const contactRoleName = (c) => named('cons.role', c);
export const feedFormatName = (c) => named('feed.format', c);
export const formatName = (c) => named('imp.format', c);

const THREAT_TONE = {
  draft: 'muted', submitted: 'info', returned: 'warn', accepted: 'ok', rejected_duplicate: 'error',
  rejected_unfounded: 'error',
};
const WARNING_TONE = { draft: 'muted', submitted: 'info', returned: 'warn', published: 'ok', rejected: 'error' };
const DISPOSAL_TONE = { sent: 'warn', acknowledged: 'info', handled: 'ok' };
const TLP_TONE = { clear: 'muted', green: 'ok', amber: 'warn', 'amber+strict': 'warn', red: 'error' };

export function ThreatStatusBadge({ status, id }) {
  return html`<span class=${`badge badge-${THREAT_TONE[status] || 'muted'}`} data-code=${status} id=${id}>${threatStatusName(status)}</span>`;
}

export function WarningStatusBadge({ status, id }) {
  return html`<span class=${`badge badge-${WARNING_TONE[status] || 'muted'}`} data-code=${status} id=${id}>${warningStatusName(status)}</span>`;
}

export function DisposalStatusBadge({ status, overdue, id }) {
  return html`<span class="badge-pair" id=${id} data-code=${status} data-overdue=${overdue ? 'true' : 'false'}>
    <span class=${`badge badge-${DISPOSAL_TONE[status] || 'muted'}`}>${disposalStatusName(status)}</span>
    ${overdue ? html`<span class="badge badge-error">${t('dispo.overdue')}</span>` : null}
  </span>`;
}

export function ColourBadge({ colour, id }) {
  if (!colour) return html`<span class="muted">${t('common.none')}</span>`;
  return html`<span class=${`badge warn-colour warn-colour-${colour}`} data-colour=${colour} id=${id}>${colourName(colour)}</span>`;
}

export function TlpBadge({ tlp }) {
  return html`<span class=${`badge badge-${TLP_TONE[tlp] || 'muted'} tlp`} data-tlp=${tlp}>TLP:${(tlp || '').toUpperCase()}</span>`;
}

// The live / expired / flagged state of an indicator.
export function LiveBadge({ ind }) {
  if (ind.flagged_by_warninglist) {
    return html`<span class="badge badge-muted" data-state="flagged" title=${ind.flagged_by_warninglist}>${t('intel.flagged')}</span>`;
  }
  return ind.live
    ? html`<span class="badge badge-ok" data-state="live">${t('intel.live')}</span>`
    : html`<span class="badge badge-muted" data-state="expired">${t('intel.expired')}</span>`;
}

// A list and a parenthesis written the way the current language writes them.
export const joined = (list) => list.join(getLang() === 'en' ? ', ' : '、');
export const paren = (text) => (getLang() === 'en' ? ` (${text})` : `（${text}）`);

// The type of a value as the server would guess it, or '' when it cannot tell.
export function guessType(raw) {
  const v = (raw || '').trim();
  if (!v) return '';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(v)) return 'ipv4';
  if (/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(v)) return 'cidr4';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return 'url';
  if (/^[^\s/]+:\d{1,5}\/[a-z]+$/i.test(v)) return 'cc';
  if (/^[0-9a-f:.]+\/\d{1,3}$/i.test(v) && v.includes(':')) return 'cidr6';
  if (/^[0-9a-f:.]+$/i.test(v) && v.includes(':')) return 'ipv6';
  if (v.includes('@')) return 'email';
  if (/^[0-9a-f]{32}$/i.test(v)) return 'md5';
  if (/^[0-9a-f]{40}$/i.test(v)) return 'sha1';
  if (/^[0-9a-f]{64}$/i.test(v)) return 'sha256';
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+\.?$/i.test(v) || /[^\x00-\x7f]/.test(v)) return 'domain';
  return '';
}

// The options of a type select, optionally limited to a list.
export function typeOptions(types = INTEL_TYPES) {
  return types.map((v) => ({ value: v, label: typeName(v) }));
}

// A year's first moment in UTC+8 is what the stats count; the current year there.
export function currentYearCst() {
  return new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
}

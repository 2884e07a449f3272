// lib/selection.mjs - set-up through the API for the selection tests: a unit
// with a complete registry profile, its unit user, a campaign, an application's
// content complete enough to submit, and the attachments submission requires.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

// The real PDF of tests/fixtures/attach (YINGJI_SRC is the source tree).
export function samplePdfPath() {
  return path.join(process.env.YINGJI_SRC || process.cwd(), 'tests', 'fixtures', 'attach', 'sample.pdf');
}

export function samplePdf() {
  return readFile(samplePdfPath());
}

// GB 32100-2015: the 18th character of a unified social credit code.
export function withCheck(body17) {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += chars.indexOf(body17[i]) * weights[i];
  return body17 + chars[(31 - (sum % 31)) % 31];
}

// A registry profile that satisfies the application template's basic part.
export function unitProfile(name, body17) {
  const staff = [];
  for (let i = 0; i < 12; i++) {
    staff.push({
      name: `技术员${i + 1}`, department: '应急响应部', post: '应急响应工程师', title: '中级工程师',
      education: '本科', school: '贵州大学', major: '信息安全', years_in_field: 5,
      in_province: true, certificates: ['CISP'],
    });
  }
  return {
    name,
    credit_code: withCheck(body17),
    registered_capital: 5000000,
    legal_representative: '张三',
    founded_on: '2015-03-01',
    business_term: '2015-03-01 至 长期',
    business_scope: '网络与信息安全软件开发；信息系统集成服务；信息安全咨询服务。',
    registration_authority: '六盘水市市场监督管理局',
    province: '贵州省',
    city: '六盘水市',
    address: '钟山区明湖路 1 号',
    contacts: [
      { role: 'emergency_lead', name: '李四', dept_title: '安全服务部 总监', mobile: '13800000001',
        office_phone: '0858-8221234', email: 'lisi@example.cn' },
      { role: 'interface', name: '王五', dept_title: '安全服务部 经理', mobile: '13800000002',
        office_phone: '0858-8221235', email: 'wangwu@example.cn' },
    ],
    offices: [{ name: '总部', is_headquarters: true, province: '贵州省', city: '六盘水市',
      address: '钟山区明湖路 1 号', floor_area_m2: 300, tenure: 'rented', staff_count: 25,
      security_lead: '王五', phone: '0858-8221235' }],
    staff,
    capabilities: [
      { field: 'emergency_handling', description: '7×24 应急响应团队' },
      { field: 'penetration_testing', description: '渗透测试' },
    ],
  };
}

// Everything of the template but the profile (which starts from the registry).
export function contentRest(year) {
  const cases = [1, 2, 3].map((i) => ({ title: `典型项目 ${i}`, text: `某单位网络安全应急响应支撑服务（${i}）。` }));
  return {
    security_since: '2016-01-01',
    finances: [year - 3, year - 2, year - 1].map((y) => ({
      year: y, total_assets: 30000000, revenue: 20000000, expenses: 15000000, liabilities: 5000000,
    })),
    organisation: '公司设总经理办公室、安全服务部、应急响应部、研发中心。',
    qualifications: [{ name: '信息安全服务资质（应急处理类）', issuer: '中国信息安全测评中心', level: '一级',
      number: 'CNITSEC2020SRV-I-0001', valid_until: '2027-12-31' }],
    main_business: '网络安全应急响应、渗透测试、安全评估。',
    projects: [{ name: '某市政务云安全运维', client: '某市大数据局', category: '安全运维',
      contract_amount: 1000000, emergency_amount: 300000, content: '7×24 安全监测与应急处置',
      signed_on: '2024-01-10', accepted_on: '2024-12-20' }],
    typical_cases: cases,
    major_event_case: { title: '重大活动网络安全保障', text: '保障期间 7×24 值守，处置网页篡改事件 2 起。' },
    cooperation: '与多家单位建立应急支撑合作。',
    management_systems: '建立项目管理制度和保密管理制度。',
    support_plan: '组建 10 人应急支撑队伍，2 小时内到场。',
    other_work: '',
    declarations: {
      independent_legal_person: true, good_credit: true, no_criminal_record: true,
      no_security_incident: true, accepts_supervision: true, contact_7x24: true, confidentiality: true,
    },
  };
}

// The attachment kinds submission requires, with their counts.
export const REQUIRED_FILES = [
  ['commitment_letter', 1, '承诺书（签章）.pdf'],
  ['response_commitment', 1, '应急响应承诺书（签章）.pdf'],
  ['legal_documents', 1, '营业执照.pdf'],
  ['audit_report', 1, '审计报告关键页.pdf'],
  ['risk_assessment_report', 3, '风险评估报告.pdf'],
];

// A campaign in draft; deadlineMs: the deadline as epoch ms.
export async function createCampaign(srv, { name, deadlineMs, places = 3, criteria } = {}) {
  const body = {
    name: name || '第二届六盘水市网络安全应急技术支撑队伍遴选',
    term_no: 2,
    province: '贵州省',
    city: '六盘水市',
    title: '六盘水市网络安全应急技术支撑单位',
    deadline_at: new Date(deadlineMs).toISOString(),
    validity_years: 2,
    places,
    cert_number_pattern: 'LPS-YJ-{YYYY}-{NNN}',
    authorities: ['中共六盘水市委网络安全和信息化委员会办公室', '六盘水市公安局'],
  };
  if (criteria) body.criteria = criteria;
  return srv.api('POST', '/api/v1/campaigns', body);
}

// Moves a campaign one stage on (reading its ETag first).
export async function moveStage(srv, id, to) {
  const r = await srv.full('GET', `/api/v1/campaigns/${id}`);
  return srv.api('POST', `/api/v1/campaigns/${id}/stage`, { to }, { 'If-Match': r.etag });
}

// A unit with a complete profile and its unit user; answers {unit, client}.
export async function createUnitWithUser(srv, { name, body17, username, password }) {
  const unit = await srv.api('POST', '/api/v1/units', unitProfile(name, body17));
  await srv.api('POST', '/api/v1/users', {
    username, display_name: `${name}接口人`, role: 'unit', unit_id: unit.id, password,
  });
  return { unit, client: srv.as(username, password) };
}

// Starts the unit's application and fills in the rest of the content; answers the detail.
export async function startApplication(client, campaignId, year) {
  const created = await client.full('POST', `/api/v1/campaigns/${campaignId}/applications`);
  const r = await client.full('PATCH', `/api/v1/applications/${created.data.id}/content`, contentRest(year),
    { 'If-Match': created.etag });
  return r;
}

// Uploads the required attachments (all but those listed in skip).
export async function uploadRequired(client, applicationId, pdf, skip = []) {
  for (const [kind, count, filename] of REQUIRED_FILES) {
    if (skip.includes(kind)) continue;
    for (let i = 0; i < count; i++) {
      const name = count > 1 ? filename.replace('.pdf', `（${i + 1}）.pdf`) : filename;
      await client.upload(applicationId, kind, name, pdf);
    }
  }
}

// Submits an application (reading its ETag first).
export async function submit(client, applicationId) {
  const r = await client.full('GET', `/api/v1/applications/${applicationId}`);
  return client.api('POST', `/api/v1/applications/${applicationId}/submit`, undefined, { 'If-Match': r.etag });
}

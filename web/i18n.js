// i18n.js - every string the UI shows goes through t(): Chinese by default,
// English on request (remembered in localStorage). The tables are in locales/.
// t('key', {name: 'x'}) looks a key up in the current language and fills {name}.
import { zh as zhBase } from './locales/zh.js';
import { en as enBase } from './locales/en.js';
import { zhSel } from './locales/zh-sel.js';
import { enSel } from './locales/en-sel.js';
import { zhWork } from './locales/zh-work.js';
import { enWork } from './locales/en-work.js';
import { zhInc, incMessagesZh } from './locales/zh-inc.js';
import { enInc } from './locales/en-inc.js';
import { zhIntel, intelMessagesZh } from './locales/zh-intel.js';
import { enIntel } from './locales/en-intel.js';

const STORAGE_KEY = 'yj.lang';

// The registry's strings and the selection's (campaigns, applications, review,
// certificates), kept in separate files.
// The work record, obligations and drills in their own files too.
// Incidents, dispatch, reporting and notifications: locales/*-inc.js.
// Threat reports, warnings, disposal notices, indicators, constituency: locales/*-intel.js.
const zh = { ...zhBase, ...zhSel, ...zhWork, ...zhInc, ...zhIntel };
const en = { ...enBase, ...enSel, ...enWork, ...enInc, ...enIntel };
const tables = { zh, en };

function initialLang() {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'zh' || v === 'en') return v;
  } catch (e) {
    /* storage unavailable: use the default */
  }
  return 'zh';
}

let lang = initialLang();

export function getLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'zh';
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch (e) {
    /* not remembered; still switched */
  }
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app.title');
}

export function t(key, params) {
  let s = tables[lang][key];
  if (s === undefined) s = zh[key];
  if (s === undefined) return key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return s;
}

// Whether a key exists (used for optional labels such as action names).
export function has(key) {
  return key in tables[lang] || key in zh;
}

export function roleName(role) {
  return has(`role.${role}`) ? t(`role.${role}`) : role;
}

// Server validation messages are English; the common ones are translated here.
const messagesZh = [
  [/^required$/, '必填'],
  [/^wrong check character: the 18th character should be (.)$/, '校验位错误：第 18 位应为 $1'],
  [/^wrong length: a credit code has 18 characters$/, '长度错误：统一社会信用代码为 18 位'],
  [/^lower-case letter at position (\d+)/, '第 $1 位是小写字母，请使用大写'],
  [/^character not allowed at position (\d+)/, '第 $1 位字符无效：只能是数字或除 I、O、S、V、Z 外的大写字母'],
  [/^division code not digits/, '第 3–8 位（行政区划码）必须是数字'],
  [/^a unit with this credit code is already registered$/, '该统一社会信用代码的单位已登记'],
  [/^not a mainland mobile number$/, '不是有效的中国大陆手机号码'],
  [/^not a phone number$/, '不是有效的电话号码'],
  [/^not an e-mail address$/, '不是有效的电子邮箱地址'],
  [/^not a date: use YYYY-MM-DD$/, '日期无效'],
  [/^in the future$/, '不能晚于今天'],
  [/^unknown province/, '未知省份，请使用完整的官方名称'],
  [/^duplicate role/, '联系人类型重复：每种类型最多一位'],
  [/^unknown contact role$/, '未知的联系人类型'],
  [/^duplicate field/, '能力领域重复：每个领域最多一次'],
  [/^unknown capability field$/, '未知的能力领域'],
  [/^unknown tenure/, '产权只能是自有或租赁'],
  [/^not after starts_at$/, '结束时间必须晚于开始时间'],
  [/^too long: at most (\d+) characters$/, '过长：最多 $1 个字符'],
  [/^too many: at most (\d+)$/, '条目过多：最多 $1 条'],
  [/^at most (\d+) entries$/, '条目过多：最多 $1 条'],
  [/^out of range/, '数值超出范围'],
  [/^must be a whole number$/, '必须是整数'],
  [/^must be from (-?\d+) to (-?\d+)$/, '必须在 $1 到 $2 之间'],
  [/^must be at least (\d+) characters$/, '至少 $1 个字符'],
  [/^must be at most (\d+) characters$/, '最多 $1 个字符'],
  [/^must be an RFC 3339 time/, '时间格式无效'],
  [/^not valid text/, '含有无效字符'],
  [/^must be UTF-8 text/, '含有无效字符'],
  [/^wrong password$/, '密码错误'],
  [/^username already taken$/, '用户名已被使用'],
  [/^3 to 32 of lower-case letters/, '用户名须为 3–32 位小写字母、数字或 _ . -'],
  [/^required for a unit user$/, '支撑单位用户必须选择所属单位'],
  [/^only unit users belong to a unit$/, '只有支撑单位用户才能关联单位'],
  [/^no such unit$/, '单位不存在'],
  [/^you cannot disable your own account$/, '不能停用自己的账号'],
  [/^must be 1 to 100 characters of text$/, '须为 1–100 个字符'],
  [/^at most 100 characters of text$/, '最多 100 个字符'],
  [/^must be in the future$/, '必须晚于当前时间'],
  [/^the unit was changed by someone else/, '该单位已被他人修改，请重新加载后重试'],
  [/^invalid username or password$/, '用户名或密码错误'],
  // selection, review, certificates, attachments
  [/^the deadline has passed; set a later one first$/, '截止时间已过，请先把截止时间改到将来'],
  [/^applications are open until the deadline$/, '申报截止时间未到，截止后才能进入评审'],
  [/^set the public notice period first$/, '请先设置公示期'],
  [/^(\d+) applications have no outcome yet; approve the proposed list first$/, '还有 $1 份申报没有结果，请先生成拟入选名单'],
  [/^the public notice has not ended$/, '公示期尚未结束'],
  [/^(\d+) objections are still undecided$/, '还有 $1 件异议尚未裁定'],
  [/^a campaign in (\w+) moves only to (.+)$/, '活动只能进入下一阶段'],
  [/^cannot issue a certificate for application (\d+): (.*)$/, '无法为第 $1 号申报颁发证书：$2'],
  [/^fixed once applications are open$/, '申报开始后不能再修改此项'],
  [/^a campaign under notice or later cannot be changed$/, '公示开始后遴选活动不能再修改'],
  [/^an open campaign's deadline may only move later$/, '申报期间截止时间只能推迟'],
  [/^must be before the deadline$/, '必须早于申报截止时间'],
  [/^needs a sequence such as \{NNN\}/, '须含序号（如 {NNN}），另可使用 {YYYY}'],
  [/^name 1 to (\d+) issuing authorities$/, '须填写 1–$1 个发布单位'],
  [/^1 to (\d+) rubric criteria$/, '须有 1–$1 个评分项'],
  [/^used twice$/, '代码重复'],
  [/^must be from 0 \(not given\) to 1000$/, '须在 0–1000 之间（0 表示不填）'],
  [/^must be from 0 to 10\^12$/, '须在 0–10^12 之间'],
  [/^there are only (\d+) capability fields$/, '能力领域共 $1 个'],
  [/^not a provincial-level division$/, '不是省级行政区名称'],
  [/^the campaign is not accepting applications$/, '该遴选活动当前不接受申报'],
  [/^a submitted application is frozen/, '申报已提交并冻结；如需修改，请主管部门退回补正'],
  [/^the application deadline has passed$/, '申报截止时间已过'],
  [/^the campaign no longer takes corrections$/, '该遴选活动已不再接受补正'],
  [/^the application changed meanwhile$/, '申报已被修改，请重新加载'],
  [/^the campaign changed meanwhile$/, '遴选活动已被修改，请重新加载'],
  [/^must not be in the future$/, '不能晚于今天'],
  [/^at most (\d+) characters \(this has (\d+)\)$/, '最多 $1 个字（现有 $2 个）'],
  [/^at most (\d+) characters$/, '最多 $1 个字'],
  [/^must be from 0 to 10\^13 yuan$/, '金额须在 0–10^13 元之间'],
  [/^at most 10 years$/, '最多 10 个年度'],
  [/^not a plausible year$/, '年度不合理（1990 年至今）'],
  [/^year given twice$/, '年度重复'],
  [/^the last (\d+) years' revenue, expenses and liabilities are required$/, '须填写近 $1 年的营业收入、支出和负债'],
  [/^more than the contract amount$/, '超过合同金额'],
  [/^before the contract was signed$/, '早于合同签订日期'],
  [/^at most (\d+) typical projects$/, '典型项目最多 $1 个'],
  [/^describe (\d+) to (\d+) typical projects$/, '须填写 $1–$2 个典型项目'],
  [/^must be declared before submitting$/, '提交前须确认此项声明'],
  [/^name the emergency-work lead and the interface person$/, '须填写网络安全应急工作负责人和接口人'],
  [/^list the technical staff$/, '须填写技术人员'],
  [/^name a capability field$/, '须至少填写一个能力领域'],
  [/^before the unit was founded$/, '早于单位成立日期'],
  [/^attach (\d+) \((\d+) attached\)$/, '须上传 $1 份（已上传 $2 份）'],
  [/^1 to (\d+) characters of text$/, '须为 1–$1 个字'],
  [/^1 to (\d+) characters$/, '须为 1–$1 个字'],
  [/^say whether the paper copy matches$/, '请选择纸质版是否与电子版一致'],
  [/^true or false is required$/, '请选择'],
  [/^nothing has been submitted yet$/, '尚未提交'],
  [/^only a submitted application is returned$/, '只有已提交的申报才能退回'],
  [/^the campaign's list is already under notice or published$/, '名单已进入公示或已公布'],
  [/^pass or fail$/, '请选择通过或未通过'],
  [/^say why the review failed$/, '结论为未通过时须填写审查意见'],
  [/^background reviews are decided while the campaign is in review$/, '安全审查结论只能在评审阶段作出'],
  [/^the application is back with the unit for correction$/, '申报已退回单位补正'],
  [/^panels are formed during review$/, '评审组在评审阶段组建'],
  [/^not an active expert account$/, '不是有效的评审专家账号'],
  [/^not a submitted application of this campaign$/, '不是本活动已提交的申报'],
  [/^the panel is closed$/, '评审组已关闭'],
  [/^(\d+) score sheets are not submitted yet$/, '还有 $1 份评分表尚未提交'],
  [/^application (\d+) has no score: add an expert without a conflict$/, '第 $1 号申报的专家均已回避，请增加一位无利益冲突的专家'],
  [/^describe the tie$/, '请说明利益关系'],
  [/^the score sheet is already submitted$/, '评分表已提交，不能再修改'],
  [/^not a criterion of this rubric$/, '不是本活动的评分项'],
  [/^scored twice$/, '重复评分'],
  [/^score (\w+) before submitting$/, '提交前须为评分项 $1 打分'],
  [/^the proposed list is made during review$/, '拟入选名单在评审阶段生成'],
  [/^(\d+) eligible applications await the background review$/, '还有 $1 份符合条件的申报等待安全审查'],
  [/^(\d+) candidates have no score yet/, '还有 $1 个候选单位没有得分，请先关闭其评审组'],
  [/^objections are received during the notice$/, '异议在公示期间受理'],
  [/^not a proposed application of this campaign$/, '不是本活动的拟入选单位'],
  [/^objections are decided during the notice$/, '异议在公示期间裁定'],
  [/^the objection is already decided$/, '该异议已裁定'],
  [/^the list is not published yet$/, '名单尚未公布'],
  [/^a (\w+) certificate cannot become (\w+)$/, '证书当前状态不允许此变更'],
  [/^a revocation needs its cause$/, '撤销须选择事由'],
  [/^only a revocation has a cause$/, '只有撤销才有事由'],
  [/^unknown cause$/, '未知的撤销事由'],
  [/^must not be blank$/, '不能为空'],
  [/^the task is already closed$/, '该任务已办结'],
  [/^must be ownership or legal_representative$/, '请选择变更类型'],
  [/^the file is empty$/, '文件为空'],
  [/^the file is over (\d+) MiB$/, '文件超过 $1 MiB'],
  [/^the file's content is (.+?), which is not accepted/, '文件的实际内容是 $1，不在允许的类型（PDF、PNG、JPEG、DOCX、XLSX、OFD）之内'],
  [/^a zip archive that is not a DOCX, XLSX or OFD document is not accepted$/, '不接受 DOCX、XLSX、OFD 以外的压缩包'],
  [/^documents with macros are not accepted/, '不接受含宏的文档，请另存为不含宏的格式'],
  [/^the PDF is incomplete or malformed/, 'PDF 文件不完整或已损坏'],
  [/^the PNG is incomplete or has data after its end$/, 'PNG 文件不完整或末尾附加了数据'],
  [/^the JPEG is incomplete$/, 'JPEG 文件不完整'],
  [/^the document is damaged or incomplete/, '文档已损坏或不完整'],
  [/^must not contain control characters, direction marks/, '文件名含有控制字符或方向标记等不允许的字符'],
  [/^not an attachment kind$/, '未知的附件类别'],
  [/^attachments change only while the application is a draft or returned/, '申报已提交，附件不能再修改'],
  [/^read-only: upload files/, '附件须通过上传添加'],
  // work record, obligations, drills
  [/^must be after started_at$/, '结束时间必须晚于开始时间'],
  [/^is more than a day in the future$/, '不能晚于当前时间一天以上'],
  [/^one log covers at most (\d+) days$/, '一条记录最长 $1 天，请分开填报'],
  [/^not a dispatch of this unit$/, '不是本单位收到的派遣任务'],
  [/^the work log changed meanwhile$/, '该工作记录已被他人修改，请重新加载'],
  [/^is after the current month$/, '不能晚于本月'],
  [/^is after to$/, '起始月份不能晚于截止月份'],
  [/^no live unit to alert$/, '没有可通知的在册单位'],
  [/^not a live unit: item (\d+)$/, '所选单位中有已注销或不存在的单位'],
  [/^a unit is named twice$/, '单位重复'],
  [/^1 to (\d+) unit ids$/, '须选择 1–$1 家单位'],
];

// The server's message in the current language when known, else as given.
export function localizeMessage(message) {
  if (!message || lang !== 'zh') return message || '';
  for (const [re, zhText] of messagesZh.concat(incMessagesZh, intelMessagesZh)) {
    const m = re.exec(message);
    if (m) return zhText.replace(/\$(\d)/g, (x, i) => m[Number(i)] ?? '');
  }
  return message;
}

// i18n.js - every string the UI shows goes through t(): Chinese by default,
// English on request (remembered in localStorage). The tables are in locales/.
// t('key', {name: 'x'}) looks a key up in the current language and fills {name}.
import { zh } from './locales/zh.js';
import { en } from './locales/en.js';

const STORAGE_KEY = 'yj.lang';

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
];

// The server's message in the current language when known, else as given.
export function localizeMessage(message) {
  if (!message || lang !== 'zh') return message || '';
  for (const [re, zhText] of messagesZh) {
    const m = re.exec(message);
    if (m) return zhText.replace(/\$(\d)/g, (x, i) => m[Number(i)] ?? '');
  }
  return message;
}

/*
 * seed.c - fills a data directory's store with N realistic support units for the
 * benchmark (bench/run). Not part of the product and not a test.
 *
 *     bench/seed --data DIR [--count 10000] [--batch 500] [--seed 1] [--start 0]
 *                [--certificates]
 *
 * Each unit has a Chinese name, a valid 统一社会信用代码 (check character from
 * unit_credit_code_check_char), 4-5 contacts, 1-3 offices, 10-20 staff with
 * certificates, 3-8 capability fields and an on-call roster. Every unit is
 * checked with unit_validate exactly as the API checks a POST, inserted with
 * store_unit_insert, and audited with audit_append inside the same transaction
 * with the same "changes" document the API writes (api_unit_encode for a patch),
 * so that `yingji audit verify` passes afterwards. Units are written in batches
 * of --batch per transaction (one fsync per batch).
 *
 * The data is generated from a fixed PRNG seed, so two runs with the same
 * --seed produce the same units. Credit codes are unique by construction: their
 * organisation-code part is "MA" followed by the unit's ordinal (from --start)
 * in base 31.
 *
 * With --certificates, each unit also gets a certificate (the title of its
 * province's support units, valid two years from today) from certs_issue,
 * numbered "BENCH-{YYYY}-{NNNNN}" (more digits when --count needs them), in the
 * unit's transaction and audited there as publication audits it: a
 * "certificate.issue" record with the same "changes" document (number, unit_id,
 * application_id 0, valid_from, valid_to), actor "system". It prints the first
 * and last number issued, for bench/run's public look-up scenario.
 *
 * It prints where its time went: generating and validating (outside the write
 * lock in the server), store_unit_insert, encoding the audit "changes" and
 * audit_append (inside it), and the commit. With --batch 1 that is the store's
 * single-writer ceiling for creates, without HTTP.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "audit/audit.h"
#include "certs/certs.h"
#include "core/yj.h"
#include "store/store.h"
#include "units/units.h"

#include "rng.h"

/* --- reference data ------------------------------------------------------------ */

struct place {
    const char *province; /* as in unit_provinces */
    const char *short_name;
    const char *city;
    const char *division; /* 6-digit administrative-division code of the city */
    const char *area;     /* telephone area code */
    int weight;           /* how many units are registered there, relatively */
};

static const struct place places[] = {
    {"北京市", "北京", "北京市", "110108", "010", 14},
    {"上海市", "上海", "上海市", "310115", "021", 9},
    {"广东省", "广东", "广州市", "440106", "020", 9},
    {"浙江省", "浙江", "杭州市", "330106", "0571", 7},
    {"江苏省", "江苏", "南京市", "320106", "025", 6},
    {"四川省", "四川", "成都市", "510107", "028", 5},
    {"贵州省", "贵州", "贵阳市", "520115", "0851", 5},
    {"山东省", "山东", "济南市", "370102", "0531", 4},
    {"湖北省", "湖北", "武汉市", "420106", "027", 4},
    {"陕西省", "陕西", "西安市", "610113", "029", 3},
    {"福建省", "福建", "福州市", "350102", "0591", 3},
    {"湖南省", "湖南", "长沙市", "430104", "0731", 3},
    {"河南省", "河南", "郑州市", "410105", "0371", 3},
    {"天津市", "天津", "天津市", "120116", "022", 2},
    {"重庆市", "重庆", "重庆市", "500112", "023", 2},
    {"安徽省", "安徽", "合肥市", "340104", "0551", 2},
    {"河北省", "河北", "石家庄市", "130104", "0311", 2},
    {"辽宁省", "辽宁", "沈阳市", "210102", "024", 2},
    {"江西省", "江西", "南昌市", "360102", "0791", 1},
    {"山西省", "山西", "太原市", "140105", "0351", 1},
    {"吉林省", "吉林", "长春市", "220104", "0431", 1},
    {"黑龙江省", "黑龙江", "哈尔滨市", "230103", "0451", 1},
    {"云南省", "云南", "昆明市", "530102", "0871", 1},
    {"广西壮族自治区", "广西", "南宁市", "450103", "0771", 1},
    {"海南省", "海南", "海口市", "460106", "0898", 1},
    {"甘肃省", "甘肃", "兰州市", "620102", "0931", 1},
    {"内蒙古自治区", "内蒙古", "呼和浩特市", "150105", "0471", 1},
    {"新疆维吾尔自治区", "新疆", "乌鲁木齐市", "650102", "0991", 1},
    {"宁夏回族自治区", "宁夏", "银川市", "640104", "0951", 1},
    {"青海省", "青海", "西宁市", "630104", "0971", 1},
    {"西藏自治区", "西藏", "拉萨市", "540102", "0891", 1},
};

static const struct place *pick_place(void)
{
    int total = 0;
    for (size_t i = 0; i < YJ_ARRAY_LEN(places); i++)
        total += places[i].weight;
    int r = (int)rnd_range(0, total - 1);
    for (size_t i = 0; i < YJ_ARRAY_LEN(places); i++) {
        if (r < places[i].weight)
            return &places[i];
        r -= places[i].weight;
    }
    return &places[0];
}

static const char *const surnames[] = {"王", "李", "张", "刘",   "陈",   "杨",  "黄", "赵", "吴",
                                       "周", "徐", "孙", "马",   "朱",   "胡",  "郭", "何", "林",
                                       "罗", "高", "郑", "梁",   "谢",   "宋",  "唐", "韩", "冯",
                                       "邓", "曹", "彭", "欧阳", "诸葛", "司马"};
static const char *const given[] = {"伟",   "芳",   "娜",   "敏",   "静",   "磊",   "洋",   "勇",
                                    "军",   "杰",   "涛",   "明",   "超",   "秀英", "建华", "志强",
                                    "晓东", "海燕", "文博", "子涵", "浩然", "雨萱", "思远", "俊杰",
                                    "嘉怡", "国庆", "红梅", "立新", "宇航", "欣怡", "振华", "天佑"};
static const char *const pinyin[] = {"wang", "li",  "zhang", "liu", "chen", "yang", "huang",
                                     "zhao", "wu",  "zhou",  "xu",  "sun",  "ma",   "zhu",
                                     "hu",   "guo", "he",    "lin", "luo",  "gao",  "zheng"};
static const char *const brand_a[] = {"安", "云", "天", "盾", "信", "网", "启", "恒", "鼎", "锐",
                                      "融", "智", "卫", "华", "中", "远", "博", "弘", "数", "星"};
static const char *const brand_b[] = {"御", "擎", "穹", "盾", "源", "诚", "达", "腾", "创", "维",
                                      "科", "辰", "翼", "迅", "瀚", "峰", "泰", "宸", "钧", "衡"};
static const char *const company_kind[] = {
    "网络安全技术有限公司",   "信息安全技术有限公司", "网络科技股份有限公司",
    "信息技术有限公司",       "数据安全科技有限公司", "网络安全技术股份有限公司",
    "计算机系统工程有限公司", "软件技术有限公司",     "信息系统安全测评中心有限公司"};
static const char *const streets[] = {"学院路", "人民路", "解放路",   "建设路",   "科技路",
                                      "长江路", "学府路", "高新大道", "创新大道", "软件园路",
                                      "金融街", "滨江路", "东风路",   "南海大道"};
static const char *const buildings[] = {"科技大厦", "软件园",   "创新中心", "信息港",
                                        "数码广场", "国际大厦", "智慧谷",   "产业园"};
static const char *const departments[] = {"安全服务部",   "应急响应中心",   "渗透测试部",
                                          "安全研究院",   "技术支持部",     "数据安全部",
                                          "安全运营中心", "等级保护测评部", "研发中心"};
static const char *const dept_titles[] = {"总经理",          "副总经理",          "技术总监",
                                          "安全服务部 总监", "应急响应中心 主任", "市场部 经理",
                                          "综合管理部 主任", "项目经理"};
static const char *const educations[] = {"博士研究生", "硕士研究生", "本科",
                                         "本科",       "本科",       "大专"};
static const char *const titles[] = {"高级工程师", "中级工程师",   "工程师",
                                     "助理工程师", "正高级工程师", "无"};
static const char *const schools[] = {
    "北京邮电大学", "西安电子科技大学", "电子科技大学", "哈尔滨工业大学",   "武汉大学",
    "贵州大学",     "浙江大学",         "上海交通大学", "北京航空航天大学", "中国科学技术大学",
    "华中科技大学", "四川大学",         "南京邮电大学", "山东大学",         "国防科技大学"};
static const char *const majors[] = {"信息安全",     "网络空间安全",  "计算机科学与技术",
                                     "软件工程",     "通信工程",      "密码学",
                                     "电子信息工程", "数学与应用数学"};
static const char *const posts[] = {
    "应急响应工程师", "渗透测试工程师", "安全运维工程师", "安全研究员",     "数据安全工程师",
    "等级保护测评师", "安全咨询顾问",   "逆向分析工程师", "威胁情报分析师", "项目经理"};
static const char *const certs[] = {
    "CISP", "CISP-PTE", "CISP-IRE",   "CISP-DSG",       "CISSP",
    "CISA", "OSCP",     "CISAW",      "NISP",           "PMP",
    "CCSK", "CDPSE",    "等级测评师", "信息安全工程师", "网络规划设计师"};
static const char *const cap_desc[] = {"7×24 小时值守，具备跨地域快速响应能力",
                                       "自研监测平台覆盖全省重点行业单位",
                                       "拥有国家级漏洞库成员资格，年均提交原创漏洞百余个",
                                       "具备 CNAS 认可的测评实验室",
                                       "团队多次参与国家级攻防演练并获优秀成绩",
                                       "具备恶意代码样本库及自动化分析沙箱",
                                       "可在 2 小时内抵达省内任一地市现场",
                                       "拥有电子数据取证资质与专用取证设备",
                                       "数据安全风险评估经验覆盖金融、能源、医疗行业",
                                       "移动应用安全检测平台，支持 Android 与 iOS"};

/* --- generation ----------------------------------------------------------------- */

static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* "91" + division + "MA" + ordinal in base 31 (7 characters) + check character. */
static char *credit_code(struct yj_arena *a, const struct place *p, uint64_t ordinal)
{
    char code[19];
    memcpy(code, "91", 2);
    memcpy(code + 2, p->division, 6);
    code[8] = 'M';
    code[9] = 'A';
    for (int i = 16; i >= 10; i--) {
        code[i] = credit_alphabet[ordinal % 31];
        ordinal /= 31;
    }
    code[17] = '\0';
    code[17] = unit_credit_code_check_char(code);
    code[18] = '\0';
    return yj_arena_strdup(a, code);
}

static char *person_name(struct yj_arena *a)
{
    return yj_arena_printf(a, "%s%s", PICK(surnames), PICK(given));
}

static char *mobile(struct yj_arena *a)
{
    static const char *const prefixes[] = {"130", "131", "135", "136", "137", "138", "139", "150",
                                           "151", "158", "177", "180", "186", "189", "199"};
    return yj_arena_printf(a, "%s%08lld", PICK(prefixes), (long long)rnd_range(0, 99999999));
}

static char *office_phone(struct yj_arena *a, const struct place *p)
{
    return yj_arena_printf(a, "%s-%lld", p->area, (long long)rnd_range(60000000, 89999999));
}

static char *address(struct yj_arena *a, const struct place *p)
{
    return yj_arena_printf(a, "%s%s %lld 号%s %lld 层", p->city, PICK(streets),
                           (long long)rnd_range(1, 999), PICK(buildings),
                           (long long)rnd_range(2, 28));
}

static void *arena_zalloc(struct yj_arena *a, size_t n, size_t size)
{
    void *p = yj_arena_calloc(a, n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "seed: out of memory\n");
        exit(1);
    }
    return p;
}

static void make_unit(struct yj_arena *a, uint64_t ordinal, int64_t now, struct unit *u)
{
    memset(u, 0, sizeof *u);
    const struct place *p = pick_place();
    const char *brand = yj_arena_printf(a, "%s%s", PICK(brand_a), PICK(brand_b));
    u->name = yj_arena_printf(a, "%s%s%s", p->short_name, brand, PICK(company_kind));
    u->credit_code = credit_code(a, p, ordinal);
    u->registered_capital = rnd_range(1, 500) * 100000;
    u->legal_representative = person_name(a);
    int year = (int)rnd_range(1996, 2022);
    int month = (int)rnd_range(1, 12), day = (int)rnd_range(1, 28);
    u->founded_on = yj_arena_printf(a, "%04d-%02d-%02d", year, month, day);
    u->business_term = rnd() % 3 ? yj_arena_printf(a, "%s 至 长期", u->founded_on)
                                 : yj_arena_printf(a, "%s 至 %04d-%02d-%02d", u->founded_on,
                                                   year + 30, month, day);
    u->business_scope =
        "网络与信息安全软件开发；信息系统集成服务；信息技术咨询服务；网络安全等级保护测评；"
        "风险评估；安全运维服务；数据处理和存储支持服务；计算机软硬件及辅助设备零售。"
        "（依法须经批准的项目，经相关部门批准后方可开展经营活动）";
    u->registration_authority = yj_arena_printf(a, "%s市场监督管理局", p->city);
    u->province = p->province;
    u->city = p->city;
    u->address = address(a, p);

    /* Contacts: 4 or 5 of the five roles, in role order, each at most once. */
    u->n_contacts = (size_t)rnd_range(4, 5);
    u->contacts = arena_zalloc(a, u->n_contacts, sizeof *u->contacts);
    int skip = u->n_contacts == 4 ? (int)rnd_range(0, 4) : -1;
    for (int r = 0, k = 0; r < UNIT_CONTACT__COUNT; r++) {
        if (r == skip)
            continue;
        struct unit_contact *c = &u->contacts[k++];
        c->role = (enum unit_contact_role)r;
        c->name = person_name(a);
        c->dept_title = PICK(dept_titles);
        c->mobile = mobile(a);
        c->office_phone = office_phone(a, p);
        c->email = yj_arena_printf(a, "%s%lld@sec%llu.com.cn", PICK(pinyin),
                                   (long long)rnd_range(1, 999), (unsigned long long)ordinal);
    }

    /* Offices: headquarters plus up to two branches elsewhere. */
    u->n_offices = (size_t)rnd_range(1, 3);
    u->offices = arena_zalloc(a, u->n_offices, sizeof *u->offices);
    for (size_t i = 0; i < u->n_offices; i++) {
        struct unit_office *f = &u->offices[i];
        const struct place *op = i == 0 ? p : pick_place();
        f->is_headquarters = i == 0;
        f->name = i == 0 ? "总部" : yj_arena_printf(a, "%s分公司", op->short_name);
        f->province = op->province;
        f->city = op->city;
        f->address = address(a, op);
        f->floor_area_m2 = rnd_range(80, 3000);
        f->tenure = rnd() % 3 ? "rented" : "owned";
        f->staff_count = rnd_range(5, 300);
        f->security_lead = person_name(a);
        f->phone = office_phone(a, op);
    }

    /* Staff: 10-20, each with 0-4 certificates (no duplicates within a person). */
    u->n_staff = (size_t)rnd_range(10, 20);
    u->staff = arena_zalloc(a, u->n_staff, sizeof *u->staff);
    for (size_t i = 0; i < u->n_staff; i++) {
        struct unit_staff *s = &u->staff[i];
        s->name = person_name(a);
        s->department = PICK(departments);
        s->education = PICK(educations);
        s->title = PICK(titles);
        s->school = PICK(schools);
        s->major = PICK(majors);
        s->years_in_field = rnd_range(1, 20);
        s->post = PICK(posts);
        s->in_province = rnd() % 5 != 0;
        s->n_certificates = (size_t)rnd_range(0, 4);
        s->certificates = arena_zalloc(a, s->n_certificates, sizeof *s->certificates);
        size_t start = rnd() % YJ_ARRAY_LEN(certs);
        for (size_t k = 0; k < s->n_certificates; k++)
            s->certificates[k] = certs[(start + k * 3) % YJ_ARRAY_LEN(certs)];
    }

    /* Capabilities: 3-8 distinct fields. */
    u->n_capabilities = (size_t)rnd_range(3, 8);
    u->capabilities = arena_zalloc(a, u->n_capabilities, sizeof *u->capabilities);
    size_t first = rnd() % unit_capability_fields_count;
    for (size_t i = 0; i < u->n_capabilities; i++) {
        u->capabilities[i].field =
            unit_capability_fields[(first + i) % unit_capability_fields_count].code;
        u->capabilities[i].description = rnd() % 4 ? PICK(cap_desc) : NULL;
    }

    /* On-call roster: 4-8 consecutive weeks, starting up to four weeks ago. */
    u->n_oncall = (size_t)rnd_range(4, 8);
    u->oncall = arena_zalloc(a, u->n_oncall, sizeof *u->oncall);
    const int64_t week = 7LL * 24 * 3600 * 1000;
    int64_t start = (now / 86400000 - rnd_range(0, 28)) * 86400000 - 8LL * 3600 * 1000;
    for (size_t i = 0; i < u->n_oncall; i++) {
        size_t who = (size_t)rnd_range(0, (int64_t)u->n_staff - 1);
        u->oncall[i].person = u->staff[who].name;
        u->oncall[i].mobile = mobile(a);
        u->oncall[i].starts_at = start + (int64_t)i * week;
        u->oncall[i].ends_at = start + (int64_t)(i + 1) * week;
    }
}

/* --- certificates ------------------------------------------------------------------- */

/* "BENCH-{YYYY}-{NNNNN}", with as many N as count needs (at least five). */
static void cert_pattern(int64_t count, char *out, size_t n)
{
    int digits = 5;
    for (int64_t max = 99999; max < count && digits < CERT_SEQ_DIGITS_MAX; max = max * 10 + 9)
        digits++;
    snprintf(out, n, "BENCH-{YYYY}-{%.*s}", digits, "NNNNNNNNN");
}

/* Issues u's certificate and audits it as publication does (api_campaign_publish). The
 * number goes into number[CERT_NUMBER_MAX + 1]. */
static enum yj_err issue_certificate(struct store_tx *tx, const struct unit *u, const char *pattern,
                                     int64_t now, struct yj_arena *a, char *number,
                                     struct yj_error *err)
{
    char from[11], to[11];
    yj_date_cst(now, from);
    int year, mon, day;
    yj_date_parse(from, &year, &mon, &day);
    /* Two years, the last day inclusive: from 2026-11-22 to 2028-11-21. */
    yj_date_cst((yj_days_from_civil(year + 2, mon, day) - 1) * 86400000LL, to);
    size_t plen = strlen(u->province);
    bool city = plen >= 3 && strcmp(u->province + plen - 3, "市") == 0;
    struct cert_issue req = {
        .unit_id = u->id,
        .holder_name = u->name,
        .title = yj_arena_printf(a, "%s网络安全应急技术支撑单位", u->province),
        .issuing_authorities = yj_arena_printf(a, "中共%s委网信办、%s公安%s", u->province,
                                               u->province, city ? "局" : "厅"),
        .number_pattern = pattern,
        .valid_from = from,
        .valid_to = to,
        .year = year,
    };
    struct cert c;
    enum yj_err rc = certs_issue(tx, &req, now, 0, a, &c, err);
    if (rc)
        return rc;
    char changes[256], id[24];
    snprintf(changes, sizeof changes,
             "{\"number\":\"%s\",\"unit_id\":%lld,\"application_id\":%lld,"
             "\"valid_from\":\"%s\",\"valid_to\":\"%s\"}",
             c.number, (long long)u->id, 0LL, from, to);
    snprintf(id, sizeof id, "%lld", (long long)c.id);
    struct audit_entry e = {.actor = "system",
                            .action = "certificate.issue",
                            .object_type = "certificate",
                            .object_id = id,
                            .changes = changes};
    rc = audit_append(tx, &e, now, err);
    if (!rc)
        snprintf(number, CERT_NUMBER_MAX + 1, "%s", c.number);
    return rc;
}

/* --- main ------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: seed --data DIR [--count N] [--batch B] [--seed S] [--start ORDINAL]\n"
               "            [--certificates]\n\n"
               "Inserts N (default 10000) audited support units into DIR's store, B (default\n"
               "500) per transaction. The data dir must exist (yingji init). S seeds the\n"
               "generator; ORDINAL (default 0) numbers the credit codes, so that a second\n"
               "seeding of the same store can start past the first one's codes.\n"
               "--certificates issues and audits one certificate per unit, numbered\n"
               "BENCH-{YYYY}-{NNNNN}, and prints the first and last number.\n");
}

static double mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},  {"count", required_argument, NULL, 'n'},
        {"batch", required_argument, NULL, 'b'}, {"seed", required_argument, NULL, 's'},
        {"start", required_argument, NULL, 'o'}, {"certificates", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *data = NULL;
    int64_t count = 10000, batch = 500, seed = 1, start = 0;
    bool certificates = false;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'n':
            bad = yj_parse_i64(optarg, 0, 10000000, &count);
            break;
        case 'b':
            bad = yj_parse_i64(optarg, 1, 100000, &batch);
            break;
        case 's':
            bad = yj_parse_i64(optarg, 0, INT64_MAX, &seed);
            break;
        case 'o':
            bad = yj_parse_i64(optarg, 0, 1000000000, &start);
            break;
        case 'c':
            certificates = true;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
        if (bad) {
            usage(stderr);
            return 2;
        }
    }
    if (!data || optind < argc) {
        usage(stderr);
        return 2;
    }
    bench_rng_seed((uint64_t)seed);

    struct yj_error err;
    yj_error_clear(&err);
    struct store *st = NULL;
    if (store_open(data, 0, &st, &err)) {
        fprintf(stderr, "seed: %s\n", err.msg);
        return 1;
    }
    const struct yj_clock *clock = yj_clock_default();
    double t0 = mono_s();
    /* Where a transaction's time goes: building and checking units (outside any
     * lock in the server), inserting and auditing them (inside the write lock),
     * and the durable commit (inside the write lock too). */
    double t_make = 0, t_insert = 0, t_encode = 0, t_audit = 0, t_commit = 0, max_commit = 0;
    double t_cert = 0;
    int64_t n_tx = 0;
    int64_t first_id = 0, last_id = 0, done = 0;
    char pattern[CERT_NUMBER_MAX + 1];
    cert_pattern(start + count, pattern, sizeof pattern);
    char first_number[CERT_NUMBER_MAX + 1] = "", last_number[CERT_NUMBER_MAX + 1] = "";
    enum yj_err rc = YJ_OK;
    while (!rc && done < count) {
        int64_t n = count - done < batch ? count - done : batch;
        struct yj_arena a;
        yj_arena_init(&a, 0);
        int64_t now = yj_now_ms(clock);
        char today[11];
        yj_date_cst(now, today);
        struct store_tx *tx = NULL;
        rc = store_write_begin(st, &tx, &err);
        for (int64_t i = 0; !rc && i < n; i++) {
            struct unit u;
            double m0 = mono_s();
            make_unit(&a, (uint64_t)(start + done + i), now, &u);
            rc = unit_validate(&u, today, &err);
            t_make += mono_s() - m0;
            if (rc) {
                fprintf(stderr, "seed: generated an invalid unit (%s: %s): a bug in seed.c\n",
                        err.field, err.msg);
                break;
            }
            double i0 = mono_s();
            rc = store_unit_insert(tx, &u, now, &err);
            if (rc)
                break;
            /* The same "changes" document as POST /api/v1/units writes. */
            double e0 = mono_s();
            json_t *doc = api_unit_encode(&u, true, true);
            char *changes = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
            json_decref(doc);
            double a0 = mono_s();
            t_insert += e0 - i0;
            t_encode += a0 - e0;
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)u.id);
            struct audit_entry e = {.actor = "system",
                                    .action = "unit.create",
                                    .object_type = "unit",
                                    .object_id = id,
                                    .changes = changes};
            rc = changes ? audit_append(tx, &e, now, &err)
                         : yj_error_set(&err, YJ_ENOMEM, NULL, "out of memory");
            free(changes);
            double k0 = mono_s();
            t_audit += k0 - a0;
            if (!rc && certificates) {
                rc = issue_certificate(tx, &u, pattern, now, &a, last_number, &err);
                if (!rc && !first_number[0])
                    memcpy(first_number, last_number, sizeof first_number);
                t_cert += mono_s() - k0;
            }
            if (!first_id)
                first_id = u.id;
            last_id = u.id;
        }
        double c0 = mono_s();
        if (!rc)
            rc = store_tx_commit(tx, &err);
        double c1 = mono_s();
        store_tx_end(tx);
        yj_arena_release(&a);
        t_commit += c1 - c0;
        if (c1 - c0 > max_commit)
            max_commit = c1 - c0;
        n_tx++;
        if (!rc)
            done += n;
    }
    store_close(st);
    double secs = mono_s() - t0;
    if (rc) {
        fprintf(stderr, "seed: %s%s%s\n", err.field[0] ? err.field : "", err.field[0] ? ": " : "",
                err.msg);
        return 1;
    }
    printf("seeded %lld units (ids %lld..%lld) in %.1f s (%.0f units/s)\n", (long long)done,
           (long long)first_id, (long long)last_id, secs, secs > 0 ? (double)done / secs : 0.0);
    if (certificates && done > 0)
        printf("issued %lld certificates (numbers %s..%s), %.0f us each with its audit record\n",
               (long long)done, first_number, last_number, t_cert / (double)done * 1e6);
    if (done > 0 && n_tx > 0)
        printf("per unit: %.0f us generating + validating; %.0f us store_unit_insert, %.0f us "
               "encoding the audit changes, %.0f us audit_append; per commit (%lld units): "
               "%.0f us mean, %.0f us max\n",
               t_make / (double)done * 1e6, t_insert / (double)done * 1e6,
               t_encode / (double)done * 1e6, t_audit / (double)done * 1e6, (long long)batch,
               t_commit / (double)n_tx * 1e6, max_commit * 1e6);
    return 0;
}

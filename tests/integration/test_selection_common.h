/*
 * test_selection_common.h - what the selection tests (test_selection_*.c) share:
 * users that work with API tokens (the injected clock moves weeks, far past a
 * session's 12 hours); realistic unit profiles and application contents for the
 * template of seed 001; attachments from tests/fixtures/attach; the selection's
 * routes driven one step at a time (apply, submit, stage, paper copy, score
 * sheet); the canonical SHA-256 of a version; key-set, eligibility-check and
 * campaign-list assertions; seed 000's cast for the second term of 六盘水; and
 * readers for the exported files (openpyxl through tests/unit/export/read_xlsx.py,
 * `pdftotext -layout`). SX_DUMP=1 in the environment prints what openpyxl read.
 *
 * Every helper is static: this header belongs to the test files that include it
 * (each test_*.c is its own program, so a header is how they share code without
 * touching the harness library). Helpers that set something up fail the test
 * when the server does not do it; the tests assert what they observe.
 */
#ifndef YJ_TEST_SELECTION_COMMON_H
#define YJ_TEST_SELECTION_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#include "units/units.h"

#include "core/yj.h"

#define SX_HELPER static __attribute__((unused))

/* --- time and small JSON accessors ------------------------------------------------------ */

/* An instant written in RFC 3339, e.g. sx_t("2026-01-09T17:00:00+08:00"). */
SX_HELPER int64_t sx_t(const char *rfc3339)
{
    int64_t ms;
    if (yj_time_parse(rfc3339, &ms) != 0)
        fail_msg("bad instant %s", rfc3339);
    return ms;
}

/* The API's form of an instant: "2026-01-09T09:00:00.000Z" (from hx_fmt's buffers). */
SX_HELPER const char *sx_iso(int64_t ms)
{
    char out[YJ_TIME_STRLEN];
    yj_time_format(ms, out);
    return hx_fmt("%s", out);
}

SX_HELPER const char *sx_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    if (!s) {
        char *t = json_dumps(o, JSON_COMPACT);
        fail_msg("no string \"%s\" in %s", key, t ? t : "(null)");
    }
    return s;
}

SX_HELPER int64_t sx_int(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_integer(v)) {
        char *t = json_dumps(o, JSON_COMPACT);
        fail_msg("no integer \"%s\" in %s", key, t ? t : "(null)");
    }
    return json_integer_value(v);
}

/* A score as hundredths (85.5 -> 8550); -1 for null. */
SX_HELPER int64_t sx_centi(const json_t *v)
{
    if (json_is_null(v))
        return -1;
    if (!json_is_number(v))
        fail_msg("a score must be a number or null");
    double d = json_number_value(v) * 100.0;
    return (int64_t)(d + (d >= 0 ? 0.5 : -0.5));
}

/* Asserts that object o has exactly the keys of want (NULL-terminated). */
SX_HELPER void sx_keys(const json_t *o, const char *const *want, const char *what)
{
    if (!json_is_object(o))
        fail_msg("%s: not an object", what);
    size_t n = 0;
    for (const char *const *k = want; *k; k++, n++)
        if (!json_object_get(o, *k))
            fail_msg("%s: key \"%s\" missing", what, *k);
    const char *key;
    json_t *v;
    json_object_foreach ((json_t *)(uintptr_t)o, key, v) {
        (void)v;
        const char *const *k = want;
        while (*k && strcmp(*k, key) != 0)
            k++;
        if (!*k)
            fail_msg("%s: unexpected key \"%s\"", what, key);
    }
    assert_int_equal(json_object_size(o), n);
}

/* The element of array arr whose member key is the integer id, or NULL. */
SX_HELPER json_t *sx_find(const json_t *arr, const char *key, int64_t id)
{
    size_t i;
    json_t *e;
    json_array_foreach (arr, i, e)
        if (json_integer_value(json_object_get(e, key)) == id)
            return e;
    return NULL;
}

/* A string of exactly n characters (code points) made by repeating phrase; malloc'd. */
SX_HELPER char *sx_text_of(const char *phrase, size_t n)
{
    size_t plen = strlen(phrase), cap = n * 4 + 1, o = 0, chars = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    for (size_t i = 0; chars < n; chars++) {
        size_t len = 1;
        unsigned char c = (unsigned char)phrase[i];
        if (c >= 0xF0)
            len = 4;
        else if (c >= 0xE0)
            len = 3;
        else if (c >= 0xC0)
            len = 2;
        memcpy(out + o, phrase + i, len);
        o += len;
        i = (i + len) % plen;
    }
    out[o] = '\0';
    return out;
}

/* The characters (code points) of UTF-8 text. */
SX_HELPER size_t sx_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* --- users -------------------------------------------------------------------------------- */

/* Gives c an API token and sends it from now on: the injected clock moves weeks
 * between the steps of a selection, and a session ends after 12 hours. */
SX_HELPER void sx_tokenize(struct hx_client *c)
{
    char token[64];
    hx_token_create(c, "遴选测试", token);
    snprintf(c->bearer, sizeof c->bearer, "%s", token);
}

/* A user made through the API with a real display name, logged in once (Argon2
 * is slow under the sanitizers), working with a token. */
SX_HELPER struct hx_client *sx_user(struct hx_client *admin, const char *role, int64_t unit_id,
                                    const char *username, const char *display_name, int64_t *id_out)
{
    hx_secret_note(admin->srv, HX_PASSWORD);
    json_t *body = json_pack("{s:s,s:s,s:s,s:s}", "username", username, "password", HX_PASSWORD,
                             "role", role, "display_name", display_name);
    if (unit_id)
        json_object_set_new(body, "unit_id", json_integer(unit_id));
    struct hx_resp *r = hx_post(admin, "/api/v1/users", body);
    if (r->status != 201)
        fail_msg("creating user %s: HTTP %ld %s", username, r->status, r->body);
    if (id_out)
        *id_out = hx_json_int(r, "id");
    struct hx_client *c = hx_login(admin->srv, username, HX_PASSWORD);
    sx_tokenize(c);
    return c;
}

/* --- units and applications ---------------------------------------------------------------- */

/* What a unit's registry record says, as far as the scenario cares. */
struct sx_unit {
    const char *name;
    const char *legal_rep;
    const char *founded_on;     /* YYYY-MM-DD */
    const char *security_since; /* in network/data security since */
    int64_t capital;            /* registered capital, CNY */
    int certified;              /* technical staff in Guizhou holding certificates */
    int uncertified;            /* technical staff in Guizhou without one */
    int outside;                /* certified staff working outside the province */
    const char *caps[5];        /* capability field codes */
    const char *district;       /* 钟山区, 水城区, 盘州市, ... */
};

/* A fresh valid 统一社会信用代码 registered in 六盘水 (division 520200). */
SX_HELPER const char *sx_credit_code(char out[19])
{
    static unsigned serial;
    char body[18];
    snprintf(body, sizeof body, "91520200MA6D%05u",
             (++serial * 137u + (unsigned)getpid()) % 100000u);
    char check = unit_credit_code_check_char(body);
    assert_true(check != 0);
    snprintf(out, 19, "%s%c", body, check);
    return out;
}

static const char *const sx_surnames[] = {"张", "王", "李", "赵", "刘", "陈", "杨",
                                          "黄", "周", "吴", "徐", "孙", "罗", "龙"};
static const char *const sx_given[] = {"伟", "芳", "敏", "静", "磊", "洋", "勇", "艳",
                                       "杰", "娟", "涛", "明", "超", "霞", "鹏", "婷"};
static const char *const sx_certs[] = {"CISP", "CISP-IRE", "CISSP", "NISP二级", "CISAW", "OSCP"};
static const char *const sx_posts[] = {"应急响应工程师", "渗透测试工程师", "安全分析师",
                                       "安全运维工程师", "数据安全工程师", "取证分析师"};

/* A unit's registry document (POST /api/v1/units), with a fresh credit code. */
SX_HELPER json_t *sx_unit_doc(const struct sx_unit *u, unsigned serial)
{
    char code[19];
    const char *addr = hx_fmt("贵州省六盘水市%s人民中路 %u 号", u->district, 10 + serial);
    json_t *doc =
        json_pack("{s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "name", u->name, "credit_code",
                  sx_credit_code(code), "registered_capital", (json_int_t)u->capital,
                  "legal_representative", u->legal_rep, "founded_on", u->founded_on,
                  "business_term", hx_fmt("%s 至 长期", u->founded_on), "business_scope",
                  "网络与信息安全技术服务；信息系统安全集成；安全评估与渗透测试；数据安全服务",
                  "registration_authority", "六盘水市市场监督管理局", "province", "贵州省", "city",
                  "六盘水市", "address", addr);
    json_t *contacts = json_array();
    static const char *const roles[] = {"emergency_lead", "support_lead", "support_contact",
                                        "selection_contact", "interface"};
    static const char *const titles[] = {"应急响应中心 主任", "安全服务部 总监",
                                         "安全服务部 项目经理", "市场部 经理",
                                         "应急响应中心 值班长"};
    for (unsigned i = 0; i < YJ_ARRAY_LEN(roles); i++)
        json_array_append_new(
            contacts,
            json_pack(
                "{s:s,s:s,s:s,s:s,s:s,s:s}", "role", roles[i], "name",
                hx_fmt("%s%s", sx_surnames[(serial + i) % 14], sx_given[(serial * 3 + i) % 16]),
                "dept_title", titles[i], "mobile", hx_fmt("1398580%02u%02u", serial % 100, i),
                "office_phone", hx_fmt("0858-822%02u%02u", serial % 100, i), "email",
                hx_fmt("contact%u.%u@unit%u.example.cn", i, serial, serial)));
    json_object_set_new(doc, "contacts", contacts);
    json_t *offices = json_array();
    json_array_append_new(
        offices, json_pack("{s:s,s:b,s:s,s:s,s:s,s:i,s:s,s:i,s:s,s:s}", "name", "六盘水总部",
                           "is_headquarters", 1, "province", "贵州省", "city", "六盘水市",
                           "address", addr, "floor_area_m2", 400 + 20 * (int)serial, "tenure",
                           serial % 2 ? "owned" : "rented", "staff_count",
                           u->certified + u->uncertified, "security_lead",
                           hx_fmt("%s%s", sx_surnames[serial % 14], sx_given[(serial * 3) % 16]),
                           "phone", hx_fmt("0858-833%02u00", serial % 100)));
    if (u->outside)
        json_array_append_new(offices, json_pack("{s:s,s:b,s:s,s:s,s:s,s:i,s:s,s:i,s:s}", "name",
                                                 "成都研发中心", "is_headquarters", 0, "province",
                                                 "四川省", "city", "成都市", "address",
                                                 "成都市高新区天府大道中段 1 号", "floor_area_m2",
                                                 200, "tenure", "rented", "staff_count", u->outside,
                                                 "phone", "028-85550000"));
    json_object_set_new(doc, "offices", offices);
    json_t *staff = json_array();
    int total = u->certified + u->uncertified + u->outside;
    for (int i = 0; i < total; i++) {
        bool in_province = i < u->certified + u->uncertified;
        bool certified = i < u->certified || !in_province;
        json_t *p = json_pack(
            "{s:s,s:s,s:s,s:s,s:s,s:s,s:i,s:s,s:b}", "name",
            hx_fmt("%s%s%s", sx_surnames[(i + serial) % 14], sx_given[(i * 5 + serial) % 16],
                   sx_given[(i + 2 * serial) % 16]),
            "department", in_province ? "应急响应中心" : "成都研发中心", "education",
            i % 3 ? "本科" : "硕士研究生", "title", i % 4 ? "工程师" : "高级工程师", "school",
            i % 2 ? "贵州大学" : "电子科技大学", "major", i % 2 ? "信息安全" : "计算机科学与技术",
            "years_in_field", 3 + i % 9, "post", sx_posts[i % 6], "in_province", in_province);
        json_t *certs = json_array();
        if (certified) {
            json_array_append_new(certs, json_string(sx_certs[i % 6]));
            if (i % 3 == 0)
                json_array_append_new(certs, json_string(sx_certs[(i + 1) % 6]));
        }
        json_object_set_new(p, "certificates", certs);
        json_array_append_new(staff, p);
    }
    json_object_set_new(doc, "staff", staff);
    json_t *caps = json_array();
    for (size_t i = 0; i < YJ_ARRAY_LEN(u->caps) && u->caps[i]; i++)
        json_array_append_new(caps, json_pack("{s:s,s:s}", "field", u->caps[i], "description",
                                              "具备 7×24 小时响应能力和自有实验环境"));
    json_object_set_new(doc, "capabilities", caps);
    /* The registry's on-call roster, which an application must not carry. */
    json_object_set_new(doc, "oncall",
                        json_pack("[{s:s,s:s,s:s,s:s}]", "person", "值班工程师", "mobile",
                                  "13985800999", "starts_at", "2025-12-01T00:00:00.000Z", "ends_at",
                                  "2025-12-08T00:00:00.000Z"));
    return doc;
}

/* The first autosave of the template's sections: since when, finances of the three
 * years before finance_year_end (inclusive), organisation, qualifications, main
 * business, projects. */
SX_HELPER json_t *sx_content_part1(const struct sx_unit *u, int finance_year_end)
{
    json_t *fin = json_array();
    for (int y = finance_year_end - 2; y <= finance_year_end; y++) {
        json_int_t k = (json_int_t)(y - finance_year_end + 3);
        json_array_append_new(fin, json_pack("{s:i,s:I,s:I,s:I,s:I}", "year", y, "total_assets",
                                             (json_int_t)u->capital * 4 + k * 1000000, "revenue",
                                             (json_int_t)u->capital * 3 + k * 800000, "expenses",
                                             (json_int_t)u->capital * 2 + k * 500000, "liabilities",
                                             (json_int_t)u->capital + k * 100000));
    }
    json_t *quals =
        json_pack("[{s:s,s:s,s:s,s:s,s:s},{s:s,s:s,s:s}]", "name", "信息安全服务资质（应急处理类）",
                  "issuer", "中国网络安全审查认证和市场监管大数据中心", "level", "二级", "number",
                  "CCRC-2023-ISV-ER-1138", "valid_until", "2026-09-30", "name",
                  "信息安全服务资质（风险评估类）", "issuer",
                  "中国网络安全审查认证和市场监管大数据中心", "level", "三级");
    json_t *projects = json_pack(
        "[{s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s},{s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s}]", "name",
        "六盘水市政务云安全运维服务项目", "client", "六盘水市大数据发展管理局", "category",
        "安全运维", "contract_amount", (json_int_t)1280000, "emergency_amount", (json_int_t)320000,
        "content", "政务云平台 7×24 小时安全监测、漏洞扫描与应急处置", "signed_on", "2022-03-01",
        "accepted_on", "2023-02-28", "name", "水城区重点单位渗透测试项目", "client",
        "六盘水市水城区委网信办", "category", "渗透测试", "contract_amount", (json_int_t)360000,
        "emergency_amount", (json_int_t)0, "content", "对 12 个重点网站开展授权渗透测试",
        "signed_on", "2022-06-10", "accepted_on", "2022-08-20");
    json_t *o = json_pack("{s:s,s:o,s:s,s:o,s:s,s:o}", "security_since", u->security_since,
                          "finances", fin, "organisation",
                          "公司设总经理办公室、安全服务部、应急响应中心、研发中心和质量保密部；"
                          "在六盘水市设固定办事机构，配备专职安全技术人员，重大事项由总经理办公会"
                          "决策，服务质量由质量保密部独立监督。",
                          "qualifications", quals, "main_business",
                          "网络安全监测分析、应急处置、渗透测试与安全评估，为党政机关和能源、交通"
                          "行业客户提供安全运维与数据安全服务。",
                          "projects", projects);
    return o;
}

/* The second autosave: typical cases (case_chars characters in the first), the
 * major-event case, cooperation, systems, the support plan (plan_chars
 * characters), other work and the declarations, all made. */
SX_HELPER json_t *sx_content_part2(size_t case_chars, size_t plan_chars)
{
    char *case0 = sx_text_of("接报某委办局门户网站被篡改后，团队两小时内到场，隔离受影响主机、"
                             "提取日志与样本，定位上传漏洞并协助整改，形成溯源报告。",
                             case_chars);
    char *plan = sx_text_of("在六盘水设立常驻应急小组，建立 7×24 小时值守和两小时到场机制，"
                            "每月开展一次应急演练并按时报送半年工作报告。",
                            plan_chars);
    json_t *o = json_pack(
        "{s:[{s:s,s:s},{s:s,s:s},{s:s,s:s}],s:{s:s,s:s},s:s,s:s,s:s,s:s}", "typical_cases", "title",
        "某委办局网站篡改事件应急处置", "text", case0, "title", "市属国企勒索病毒事件处置", "text",
        "协助企业隔离感染主机 36 台，恢复核心业务系统并完成取证溯源。", "title",
        "重点行业数据安全评估", "text", "对三家医疗机构开展数据分类分级与风险评估。",
        "major_event_case", "title", "中国（贵州）国际酒类博览会网络安全保障", "text",
        "博览会期间派驻 6 人现场值守，监测网站篡改、挂马与劫持，处置告警 41 起。", "cooperation",
        "与省内两所高校共建网络安全实验室，与 CNCERT 贵州分中心保持通报协作。",
        "management_systems",
        "建立项目管理、质量控制、保密管理和人员背景审查制度，涉密信息一律不入系统。",
        "support_plan", plan, "other_work", "参与市级网络安全宣传周和攻防演练保障。");
    json_object_set_new(o, "declarations",
                        json_pack("{s:b,s:b,s:b,s:b,s:b,s:b,s:b}", "independent_legal_person", 1,
                                  "good_credit", 1, "no_criminal_record", 1, "no_security_incident",
                                  1, "accepts_supervision", 1, "contact_7x24", 1, "confidentiality",
                                  1));
    free(case0);
    free(plan);
    return o;
}

/* A fixture of tests/fixtures/attach as bytes (malloc'd; the caller frees *data). */
struct sx_file {
    char *data;
    size_t len;
};

SX_HELPER struct sx_file sx_fixture(const char *name)
{
    const char *src = getenv("YINGJI_SRC");
    assert_non_null(src);
    const char *path = hx_fmt("%s/tests/fixtures/attach/%s", src, name);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        fail_msg("cannot read fixture %s", path);
    struct yj_buf b;
    yj_buf_init(&b, 1u << 20);
    char chunk[4096];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, fp)) > 0)
        assert_int_equal(yj_buf_append(&b, chunk, r), YJ_OK);
    fclose(fp);
    struct sx_file f;
    f.data = yj_buf_detach(&b, &f.len);
    assert_non_null(f.data);
    return f;
}

/* Uploads f to the application as c; returns the response. */
SX_HELPER struct hx_resp *sx_upload(struct hx_client *c, int64_t app, const char *kind,
                                    const char *filename, const struct sx_file *f)
{
    struct hx_req opt = {
        .content_type = "application/octet-stream", .body = f->data, .body_len = f->len};
    return hx_request(c, "POST",
                      hx_fmt("/api/v1/applications/%lld/attachments?kind=%s&filename=%s",
                             (long long)app, kind, hx_escape(filename)),
                      &opt);
}

/* --- the canonical hash of a version ----------------------------------------------------- */

/* The lower-case hex SHA-256 of content as docs/api-selection.md defines the stored
 * text: compact JSON, keys sorted, UTF-8 unescaped (from hx_fmt's buffers). */
SX_HELPER const char *sx_content_sha256(const json_t *content)
{
    char *text = json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS);
    assert_non_null(text);
    unsigned char digest[32];
    char hex[65];
    yj_sha256(text, strlen(text), digest);
    yj_hex(digest, sizeof digest, hex);
    free(text);
    return hx_fmt("%s", hex);
}

/* --- eligibility checks ------------------------------------------------------------------ */

/* The codes the pre-check reports, in its order, for a campaign with a province and
 * the declarations required. */
static const char *const sx_check_codes[] = {
    "legal_person",    "credit_record",   "registered_capital", "office_in_province",
    "years_in_field",  "certified_staff", "capability_fields",  "supervision_7x24",
    "confidentiality", "last_grade",      "not_banned",         NULL};

/* Asserts the detail's checks: every criterion reported, in order, each with a
 * reason; exactly `failed` (NULL: none) not passed, with that reason and evidence. */
SX_HELPER void sx_expect_checks(const json_t *detail, const char *failed, const char *reason,
                                const char *evidence, const char *who)
{
    const json_t *checks = json_object_get(detail, "eligibility_checks");
    size_t n = 0;
    while (sx_check_codes[n])
        n++;
    if (json_array_size(checks) != n)
        fail_msg("%s: %zu checks instead of %zu", who, json_array_size(checks), n);
    for (size_t i = 0; i < n; i++) {
        const json_t *c = json_array_get(checks, i);
        static const char *const keys[] = {"code", "passed", "reason", "evidence", NULL};
        sx_keys(c, keys, "an eligibility check");
        const char *code = sx_str(c, "code");
        if (strcmp(code, sx_check_codes[i]) != 0)
            fail_msg("%s: check %zu is %s, expected %s", who, i, code, sx_check_codes[i]);
        bool want = !failed || strcmp(failed, code) != 0;
        if (json_is_true(json_object_get(c, "passed")) != want)
            fail_msg("%s: check %s passed=%d, expected %d (%s; %s)", who, code, !want, want,
                     sx_str(c, "reason"), sx_str(c, "evidence"));
        if (!*sx_str(c, "reason"))
            fail_msg("%s: check %s has no reason", who, code);
        if (!want) {
            if (strcmp(sx_str(c, "reason"), reason) != 0)
                fail_msg("%s: %s reason \"%s\", expected \"%s\"", who, code, sx_str(c, "reason"),
                         reason);
            if (strcmp(sx_str(c, "evidence"), evidence) != 0)
                fail_msg("%s: %s evidence \"%s\", expected \"%s\"", who, code,
                         sx_str(c, "evidence"), evidence);
        }
    }
    const char *precheck = sx_str(detail, "eligibility_precheck");
    assert_string_equal(precheck, failed ? "ineligible" : "eligible");
}

/* The check with this code of a detail (asserting it is there). */
SX_HELPER const json_t *sx_check(const json_t *detail, const char *code)
{
    size_t i;
    json_t *c;
    json_array_foreach (json_object_get(detail, "eligibility_checks"), i, c)
        if (strcmp(sx_str(c, "code"), code) == 0)
            return c;
    fail_msg("no check %s", code);
    return NULL;
}

/* --- the selection's routes, driven ---------------------------------------------------- */

/* The default rubric's criteria, in order (basic 20, staffing 20, systems 20,
 * technical_capability 30, past_support 10). */
enum { SX_K = 5 };
static const char *const sx_criteria[SX_K] = {"basic", "staffing", "systems",
                                              "technical_capability", "past_support"};

#define SX_TITLE "六盘水市网络安全应急技术支撑单位"
#define SX_PATTERN "LPS-YJ-{YYYY}-{NNN}"
static const char *const sx_authorities[] = {"中共六盘水市委网络安全和信息化委员会办公室",
                                             "六盘水市公安局"};
/* The certificates' issuing authorities: the campaign's, joined with 、. */
#define SX_ISSUERS "中共六盘水市委网络安全和信息化委员会办公室、六盘水市公安局"

SX_HELPER const char *sx_app_path(int64_t id, const char *rest)
{
    return hx_fmt("/api/v1/applications/%lld%s", (long long)id, rest);
}

SX_HELPER const char *sx_campaign_path(int64_t id, const char *rest)
{
    return hx_fmt("/api/v1/campaigns/%lld%s", (long long)id, rest);
}

/* GET as c, asserting 200; the parsed answer (owned by c). */
SX_HELPER json_t *sx_get_ok(struct hx_client *c, const char *path)
{
    struct hx_resp *r = hx_get(c, path);
    HX_EXPECT(r, 200);
    assert_non_null(r->json);
    return r->json;
}

/* The current ETag of what path names, as c reads it. */
SX_HELPER const char *sx_etag_of(struct hx_client *c, const char *path)
{
    struct hx_resp *r = hx_get(c, path);
    HX_EXPECT(r, 200);
    assert_non_null(r->etag);
    return r->etag;
}

/* A campaign of 六盘水 (贵州省) with the default thresholds and rubric. */
SX_HELPER json_t *sx_campaign_doc(const char *name, int term, const char *deadline, int places)
{
    json_t *auth = json_array();
    for (size_t i = 0; i < YJ_ARRAY_LEN(sx_authorities); i++)
        json_array_append_new(auth, json_string(sx_authorities[i]));
    return json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:i,s:i,s:s,s:o}", "name", name, "term_no", term,
                     "province", "贵州省", "city", "六盘水市", "title", SX_TITLE, "deadline_at",
                     deadline, "validity_years", 2, "places", places, "cert_number_pattern",
                     SX_PATTERN, "authorities", auth);
}

/* Moves campaign cid to stage `to` as the authority, with the current ETag. */
SX_HELPER struct hx_resp *sx_stage(struct hx_client *admin, int64_t cid, const char *to)
{
    const char *etag = sx_etag_of(admin, sx_campaign_path(cid, ""));
    return hx_send(admin, "POST", sx_campaign_path(cid, "/stage"), json_pack("{s:s}", "to", to),
                   etag);
}

SX_HELPER void sx_stage_ok(struct hx_client *admin, int64_t cid, const char *to)
{
    struct hx_resp *r = sx_stage(admin, cid, to);
    HX_EXPECT(r, 200);
    assert_string_equal(sx_str(r->json, "stage"), to);
}

/* Sets the campaign's public notice period (allowed in review). */
SX_HELPER void sx_notice_period(struct hx_client *admin, int64_t cid, const char *from,
                                const char *to)
{
    struct hx_resp *r =
        hx_send(admin, "PATCH", sx_campaign_path(cid, ""),
                json_pack("{s:s,s:s}", "notice_starts_at", from, "notice_ends_at", to),
                sx_etag_of(admin, sx_campaign_path(cid, "")));
    HX_EXPECT(r, 200);
    assert_string_equal(sx_str(r->json, "notice_ends_at"), sx_iso(sx_t(to)));
}

/* The seven files an application needs, from the fixtures (real PDF, OFD, DOCX bytes). */
SX_HELPER void sx_attach_all(struct hx_client *c, int64_t id)
{
    static const struct {
        const char *kind, *filename, *fixture, *media;
    } files[] = {
        {"commitment_letter", "承诺书（加盖公章）.pdf", "sample.pdf", "application/pdf"},
        {"response_commitment", "应急响应承诺书（电子签章）.ofd", "sample.ofd", "application/ofd"},
        {"legal_documents", "营业执照副本.pdf", "sample.pdf", "application/pdf"},
        {"audit_report", "近三年审计报告关键页.pdf", "sample.pdf", "application/pdf"},
        {"risk_assessment_report", "政务云风险评估报告.pdf", "sample.pdf", "application/pdf"},
        {"risk_assessment_report", "医疗行业风险评估报告.docx", "sample.docx",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"risk_assessment_report", "能源企业风险评估报告.pdf", "sample.pdf", "application/pdf"},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(files); i++) {
        struct sx_file f = sx_fixture(files[i].fixture);
        struct hx_resp *r = sx_upload(c, id, files[i].kind, files[i].filename, &f);
        free(f.data);
        HX_EXPECT(r, 201);
        assert_string_equal(sx_str(r->json, "media_type"), files[i].media);
        assert_string_equal(sx_str(r->json, "filename"), files[i].filename);
    }
}

/*
 * The unit user c (of unit unit_id, described by u) starts its application in
 * campaign cid: the draft must be the unit's registry profile without the on-call
 * roster; then two autosaves with If-Match (a first typical case of exactly 800
 * characters and a support plan of exactly 1000, the template's limits) and the
 * seven attachments. Returns the application's id.
 */
SX_HELPER int64_t sx_apply(struct hx_client *c, int64_t unit_id, const struct sx_unit *u,
                           int64_t cid, int finance_end)
{
    struct hx_resp *r = hx_post(c, sx_campaign_path(cid, "/applications"), NULL);
    HX_EXPECT(r, 201);
    int64_t id = hx_json_int(r, "id");
    assert_string_equal(r->location, sx_app_path(id, ""));
    assert_string_equal(sx_str(r->json, "status"), "draft");
    assert_string_equal(sx_str(r->json, "eligibility"), "pending");
    assert_string_equal(sx_str(r->json, "outcome"), "pending");
    assert_true(json_is_null(json_object_get(r->json, "submitted_version")));
    const json_t *profile = json_object_get(json_object_get(r->json, "content"), "profile");
    json_t *registry = sx_get_ok(c, hx_fmt("/api/v1/units/%lld", (long long)unit_id));
    static const char *const same[] = {"name",
                                       "credit_code",
                                       "registered_capital",
                                       "legal_representative",
                                       "founded_on",
                                       "contacts",
                                       "offices",
                                       "staff",
                                       "capabilities",
                                       NULL};
    for (const char *const *k = same; *k; k++)
        if (!json_equal(json_object_get(profile, *k), json_object_get(registry, *k)))
            fail_msg("%s: the draft's profile.%s is not the registry's", u->name, *k);
    assert_null(json_object_get(profile, "oncall"));
    assert_non_null(json_object_get(registry, "oncall"));

    r = hx_send(c, "PATCH", sx_app_path(id, "/content"), sx_content_part1(u, finance_end), r->etag);
    HX_EXPECT(r, 200);
    r = hx_send(c, "PATCH", sx_app_path(id, "/content"), sx_content_part2(800, 1000), r->etag);
    HX_EXPECT(r, 200);
    const json_t *content = json_object_get(r->json, "content");
    assert_int_equal(json_array_size(json_object_get(content, "finances")), 3);
    const json_t *cases = json_object_get(content, "typical_cases");
    assert_int_equal(json_array_size(cases), 3);
    assert_int_equal(sx_chars(sx_str(json_array_get(cases, 0), "text")), 800);
    assert_int_equal(sx_chars(sx_str(content, "support_plan")), 1000);
    sx_attach_all(c, id);
    return id;
}

/* Submits application id as c with its current ETag; returns the answer. */
SX_HELPER struct hx_resp *sx_submit(struct hx_client *c, int64_t id)
{
    const char *etag = sx_etag_of(c, sx_app_path(id, ""));
    return hx_send(c, "POST", sx_app_path(id, "/submit"), NULL, etag);
}

/* After a successful submission at `now`: the frozen version's SHA-256 is the
 * SHA-256 of its stored content text (recomputed here), wherever it is shown, and
 * the attachment manifest is frozen with it. Returns the hash (hx_fmt's buffers). */
SX_HELPER const char *sx_expect_frozen(struct hx_client *c, const json_t *detail, int64_t now)
{
    int64_t id = sx_int(detail, "id"), no = sx_int(detail, "submitted_version");
    assert_string_equal(sx_str(detail, "status"), "submitted");
    assert_int_equal(sx_int(detail, "current_version"), no);
    const json_t *v0 = json_array_get(json_object_get(detail, "versions"), 0);
    assert_int_equal(sx_int(v0, "version_no"), no);
    assert_string_equal(sx_str(v0, "submitted_at"), sx_iso(now));
    json_t *v = sx_get_ok(c, sx_app_path(id, hx_fmt("/versions/%lld", (long long)no)));
    const char *sha = sx_str(v, "sha256");
    assert_int_equal(strlen(sha), 64);
    assert_string_equal(sha, sx_str(v0, "sha256"));
    assert_string_equal(sx_content_sha256(json_object_get(v, "content")), sha);
    assert_int_equal(json_array_size(json_object_get(json_object_get(v, "content"), "attachments")),
                     7);
    return sha;
}

/* Records the paper copy of application id as the authority at `now`; returns the detail. */
SX_HELPER json_t *sx_paper(struct hx_client *admin, int64_t id, bool matches, const char *note,
                           int64_t now)
{
    struct hx_resp *r = hx_send(admin, "POST", sx_app_path(id, "/paper"),
                                json_pack("{s:b,s:s}", "matches", matches, "note", note),
                                sx_etag_of(admin, sx_app_path(id, "")));
    HX_EXPECT(r, 200);
    const json_t *p = json_object_get(r->json, "paper");
    static const char *const keys[] = {"received_at", "matches", "note", NULL};
    sx_keys(p, keys, "paper");
    assert_string_equal(sx_str(p, "received_at"), sx_iso(now));
    assert_int_equal(json_is_true(json_object_get(p, "matches")), matches);
    assert_string_equal(sx_str(p, "note"), note);
    return r->json;
}

/* PUT scores/mine of application id as expert c: points per criterion of the rubric. */
SX_HELPER struct hx_resp *sx_score(struct hx_client *c, int64_t id, const int64_t points[SX_K],
                                   bool final)
{
    json_t *arr = json_array();
    for (int k = 0; k < SX_K; k++)
        json_array_append_new(arr, json_pack("{s:s,s:I,s:s}", "criterion", sx_criteria[k], "points",
                                             (json_int_t)points[k], "comment",
                                             k == 3 ? "应急响应流程完整，工具链成熟" : "材料齐全"));
    return hx_send(c, "PUT", sx_app_path(id, "/scores/mine"),
                   json_pack("{s:o,s:b}", "scores", arr, "submit", final), NULL);
}

SX_HELPER int64_t sx_total(const int64_t points[SX_K])
{
    int64_t t = 0;
    for (int k = 0; k < SX_K; k++)
        t += points[k];
    return t;
}

/* --- the cast of seed 000's second term -------------------------------------------------- */

/*
 * 六盘水's second call (deadline 2026-01-09 17:00, four places) as test_selection_scenario.c
 * and test_selection_outcome.c play it: eleven applicants, each there for a rule.
 */
enum sx_cast_ix {
    U_D,         /* eligible; ties C on score, loses on technical capability: not selected */
    U_C,         /* eligible; third; an objection against it is rejected: selected */
    U_A,         /* eligible, top score (dropping the extremes matters): selected */
    U_B,         /* eligible, four sheets (a conflict); proposed, cancelled by an objection */
    U_CAPITAL,   /* registered capital 1,999,999: ineligible */
    U_STAFF9,    /* 9 certified technical staff in the province: ineligible */
    U_UNQUAL,    /* graded unqualified in the first term: ineligible */
    U_BANNED,    /* revoked for misuse_of_name in 2024, banned to 2027-09-10: ineligible */
    U_SECFAIL,   /* eligible, submits one second before the deadline; fails the background review */
    U_EXCELLENT, /* graded excellent in the first term: direct entry; submits at the deadline */
    U_LATE,      /* tries to submit one second after the deadline: stays a draft */
    U__N
};

/* clang-format off */
static const struct sx_unit sx_cast[U__N] = {
    [U_D] = {"贵州水城网络科技有限公司", "罗国华", "2014-04-18", "2014-06-01", 6000000, 11, 2, 0,
             {"monitoring_analysis", "emergency_handling", "penetration_testing"}, "水城区"},
    [U_C] = {"贵州S&T网络安全技术有限公司", "龙晓燕", "2016-09-09", "2016-09-09", 10000000, 13, 1, 2,
             {"emergency_handling", "forensics_tracing", "vulnerability_discovery"}, "钟山区"},
    [U_A] = {"六盘水安信网络安全技术有限公司", "陈志远", "2012-03-15", "2013-01-01", 20000000, 15, 3, 0,
             {"monitoring_analysis", "early_warning", "emergency_handling"}, "钟山区"},
    [U_B] = {"贵州钟山数据安全服务有限公司", "杨丽", "2017-11-20", "2018-02-01", 5000000, 12, 0, 0,
             {"data_security", "security_assessment"}, "钟山区"},
    [U_CAPITAL] = {"六盘水明湖信息安全咨询有限公司", "周文", "2015-05-05", "2015-05-05", 1999999, 10, 1, 0,
                   {"security_assessment"}, "钟山区"},
    [U_STAFF9] = {"贵州盘州数安科技有限公司", "吴强", "2013-08-08", "2014-01-01", 8000000, 9, 2, 3,
                  {"security_operations", "mobile_internet"}, "盘州市"},
    [U_UNQUAL] = {"贵州夜郎网络安全服务有限公司", "徐刚", "2011-10-10", "2012-01-01", 12000000, 11, 0, 0,
                  {"monitoring_analysis"}, "六枝特区"},
    [U_BANNED] = {"贵州黔安网络科技有限公司", "孙斌", "2010-06-06", "2011-01-01", 30000000, 12, 0, 0,
                  {"penetration_testing", "emergency_handling"}, "钟山区"},
    [U_SECFAIL] = {"贵州乌江信息安全技术有限公司", "黄海", "2016-02-02", "2016-02-02", 5000000, 10, 0, 0,
                   {"early_warning", "malware_collection"}, "水城区"},
    [U_EXCELLENT] = {"贵州乌蒙山网络安全技术有限公司", "刘洋", "2009-12-12", "2010-01-01", 50000000, 18, 2, 0,
                     {"monitoring_analysis", "early_warning", "emergency_handling", "forensics_tracing",
                      "data_security"}, "钟山区"},
    [U_LATE] = {"贵州北盘江网络技术有限公司", "赵丹", "2018-07-07", "2018-07-07", 3000000, 10, 0, 0,
                {"security_operations"}, "盘州市"},
};
/* clang-format on */

/* When each applicant submits (China Standard Time); U_SECFAIL, U_EXCELLENT and
 * U_LATE try at the deadline's second, U_LATE one second too late. */
#define SX_DEADLINE "2026-01-09T17:00:00+08:00"
static const char *const sx_submit_at[U__N] = {
    [U_D] = "2025-12-22T10:00:00+08:00",       [U_C] = "2025-12-23T10:00:00+08:00",
    [U_A] = "2025-12-24T10:00:00+08:00",       [U_B] = "2025-12-25T10:00:00+08:00",
    [U_CAPITAL] = "2025-12-26T10:00:00+08:00", [U_STAFF9] = "2025-12-29T10:00:00+08:00",
    [U_UNQUAL] = "2025-12-30T10:00:00+08:00",  [U_BANNED] = "2025-12-31T10:00:00+08:00",
    [U_SECFAIL] = "2026-01-09T16:59:59+08:00", [U_EXCELLENT] = "2026-01-09T17:00:00+08:00",
    [U_LATE] = "2026-01-09T17:00:01+08:00"};

enum { SX_E = 5 }; /* experts on the panel */
static const char *const sx_expert_names[SX_E] = {"刘建国", "陈晓雯", "王志刚", "赵敏", "孙立新"};

/*
 * The panel's score sheets: points per criterion of the default rubric.
 *  A: totals 90 85 84 86 70 -> drop 90 and 70 -> 85.00 (the plain mean would be 83.00)
 *  B: expert 5 declares a conflict; totals 88 80 82 84 -> plain mean 83.50
 *  C: totals 80 79 81 95 60 -> 80.00; technical 26 26 27 29 18 -> 26.33
 *  D: totals 80 80 80 82 78 -> 80.00; technical 23 23 24 24 22 -> 23.33
 * C and D tie at 80.00: technical capability puts C third and D fourth, below the
 * places (D submitted earlier and has the lower id, so no later tie-break would).
 */
enum { P_A, P_B, P_C, P_D, P__N };
static const int sx_panel_units[P__N] = {U_A, U_B, U_C, U_D};
enum { SX_CONFLICT_EXPERT = 4 }; /* expert 5 (孙立新) has ties with B */
/* clang-format off */
static const int64_t sx_sheets[P__N][SX_E][SX_K] = {
    [P_A] = {{18, 18, 18, 27, 9}, {17, 17, 17, 26, 8}, {17, 17, 17, 25, 8}, {17, 18, 17, 26, 8}, {14, 14, 14, 21, 7}},
    [P_B] = {{18, 17, 18, 27, 8}, {16, 16, 16, 24, 8}, {16, 17, 16, 25, 8}, {17, 17, 17, 25, 8}, {0}},
    [P_C] = {{16, 16, 16, 26, 6}, {15, 16, 15, 26, 7}, {16, 16, 16, 27, 6}, {19, 19, 19, 29, 9}, {12, 12, 12, 18, 6}},
    [P_D] = {{17, 17, 17, 23, 6}, {17, 17, 17, 23, 6}, {16, 17, 17, 24, 6}, {17, 17, 17, 24, 7}, {16, 17, 16, 22, 7}},
};
/* clang-format on */
/* The aggregates (hundredths) and how many sheets count. */
static const int64_t sx_panel_scores[P__N] = {8500, 8350, 8000, 8000};
static const size_t sx_panel_counted[P__N] = {5, 4, 5, 5};

/* What the authority should see of one application in the campaign's list. */
struct sx_expect {
    const char *status, *eligibility, *security, *outcome;
    bool direct;
    int64_t score; /* hundredths, -1 null */
    int64_t rank;  /* 0 null */
};

/*
 * Compares the authority's list of campaign cid's applications with want[]: for
 * each of the n applicants with an application (app[i] != 0) its status, effective
 * eligibility, background review, outcome, direct entry, score and rank; and that
 * the list holds nothing else.
 */
SX_HELPER void sx_expect_list(struct hx_client *admin, int64_t cid, size_t n, const int64_t *app,
                              const struct sx_unit *units, const struct sx_expect *want,
                              const char *when)
{
    json_t *items = hx_list_all(admin, sx_campaign_path(cid, "/applications"), 100);
    size_t count = 0;
    for (size_t u = 0; u < n; u++) {
        if (!app[u])
            continue;
        count++;
        const json_t *it = sx_find(items, "id", app[u]);
        const struct sx_expect *e = &want[u];
        if (!it)
            fail_msg("%s: %s missing from the list", when, units[u].name);
        const char *got[] = {sx_str(it, "status"), sx_str(it, "eligibility"),
                             sx_str(it, "security_result"), sx_str(it, "outcome")};
        const char *exp[] = {e->status, e->eligibility, e->security, e->outcome};
        static const char *const what[] = {"status", "eligibility", "security_result", "outcome"};
        for (size_t k = 0; k < 4; k++)
            if (strcmp(got[k], exp[k]) != 0)
                fail_msg("%s: %s %s is %s, expected %s", when, units[u].name, what[k], got[k],
                         exp[k]);
        if (json_is_true(json_object_get(it, "direct_entry")) != e->direct)
            fail_msg("%s: %s direct_entry is not %d", when, units[u].name, e->direct);
        int64_t score = sx_centi(json_object_get(it, "score"));
        const json_t *rank = json_object_get(it, "rank");
        if (score != e->score)
            fail_msg("%s: %s score %lld, expected %lld (hundredths)", when, units[u].name,
                     (long long)score, (long long)e->score);
        if ((json_is_null(rank) ? 0 : json_integer_value(rank)) != e->rank)
            fail_msg("%s: %s rank %s, expected %lld", when, units[u].name,
                     json_is_null(rank) ? "null" : "set", (long long)e->rank);
    }
    assert_int_equal(json_array_size(items), count);
    json_decref(items);
}

/* --- exported files ---------------------------------------------------------------------- */

/* Runs a shell command line, returning its standard output (malloc'd) and exit status. */
SX_HELPER char *sx_run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        fail_msg("cannot run %s", cmd);
    struct yj_buf b;
    yj_buf_init(&b, 64u << 20);
    char chunk[8192];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, p)) > 0)
        assert_int_equal(yj_buf_append(&b, chunk, r), YJ_OK);
    assert_int_equal(yj_buf_append(&b, "", 1), YJ_OK);
    *status = pclose(p);
    size_t len;
    return yj_buf_detach(&b, &len);
}

/* Writes the body of r to a file under the server's temporary directory; returns its path. */
SX_HELPER const char *sx_save(struct hx_server *s, const struct hx_resp *r, const char *name)
{
    const char *path = hx_fmt("%s/%s", s->root, name);
    hx_write_file(path, r->body, r->body_len);
    return path;
}

/* An XLSX answer as openpyxl reads it (tests/unit/export/read_xlsx.py): a new reference. */
SX_HELPER json_t *sx_xlsx(struct hx_server *s, const struct hx_resp *r, const char *name)
{
    const char *path = sx_save(s, r, name);
    const char *cmd = hx_fmt("/usr/bin/python3 '%s/tests/unit/export/read_xlsx.py' '%s'",
                             getenv("YINGJI_SRC"), path);
    int status;
    char *out = sx_run(cmd, &status);
    if (status != 0)
        fail_msg("read_xlsx.py %s: status %d: %s", name, status, out);
    json_error_t e;
    json_t *j = json_loads(out, 0, &e);
    if (!j)
        fail_msg("read_xlsx.py %s: not JSON (%s): %s", name, e.text, out);
    if (getenv("SX_DUMP"))
        fprintf(stderr, "%s\n", out);
    free(out);
    return j;
}

/* The value of a cell of an openpyxl row as read_xlsx.py shows it (NULL when empty). */
SX_HELPER const json_t *sx_cell(const json_t *row, size_t col)
{
    const json_t *c = json_array_get(row, col);
    return json_is_null(c) || !c ? NULL : json_object_get(c, "v");
}

SX_HELPER const char *sx_cell_str(const json_t *row, size_t col)
{
    const json_t *v = sx_cell(row, col);
    return json_is_string(v) ? json_string_value(v) : "";
}

/* A number cell as hundredths, -1 when empty. */
SX_HELPER int64_t sx_cell_centi(const json_t *row, size_t col)
{
    const json_t *v = sx_cell(row, col);
    return v ? sx_centi(v) : -1;
}

/* `pdftotext -layout` of a PDF answer (malloc'd). */
SX_HELPER char *sx_pdftext(struct hx_server *s, const struct hx_resp *r, const char *name)
{
    const char *path = sx_save(s, r, name);
    int status;
    char *out = sx_run(hx_fmt("pdftotext -layout '%s' - 2>&1", path), &status);
    if (status != 0)
        fail_msg("pdftotext %s: status %d: %s", name, status, out);
    return out;
}

#endif

/*
 * test_units.c - the support-unit domain: reference data, the GB 32100-2015
 * credit code, the contact-format validators and every rule of unit_validate,
 * each failure asserted by the JSON path it names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "units/units.h"

#define TODAY "2026-01-09"

/* ---- helpers ---- */

/* n copies of s, heap-allocated; the caller frees. */
static char *repeat(const char *s, size_t n)
{
    size_t len = strlen(s);
    char *out = malloc(len * n + 1);
    assert_non_null(out);
    for (size_t i = 0; i < n; i++)
        memcpy(out + i * len, s, len);
    out[len * n] = '\0';
    return out;
}

/* Messages are lower case and start with the problem, never empty. */
static void assert_msg_style(const struct yj_error *e)
{
    assert_true(e->msg[0] != '\0');
    assert_false(e->msg[0] >= 'A' && e->msg[0] <= 'Z');
}

static void assert_msg_has(const struct yj_error *e, const char *part)
{
    if (!strstr(e->msg, part))
        fail_msg("message \"%s\" lacks \"%s\"", e->msg, part);
}

/* ---- a complete, valid unit that each test breaks in one place ---- */

struct fixture {
    struct unit u;
    struct unit_contact contacts[UNIT_CONTACT__COUNT];
    struct unit_office offices[2];
    struct unit_staff staff[2];
    const char *certs0[2];
    const char *certs1[1];
    struct unit_capability caps[3];
    struct unit_oncall oncall[2];
};

static void fixture_contacts(struct fixture *f)
{
    static const char *const names[] = {"张三", "李四", "王五", "赵六", "钱七"};
    for (int i = 0; i < UNIT_CONTACT__COUNT; i++) {
        f->contacts[i] = (struct unit_contact){
            .role = (enum unit_contact_role)i,
            .name = names[i],
            .dept_title = "安全服务部 经理",
            .mobile = "13800138000",
            .office_phone = "0858-8221234",
            .email = "contact@example.com.cn",
        };
    }
    f->u.contacts = f->contacts;
    f->u.n_contacts = UNIT_CONTACT__COUNT;
}

static void fixture_offices(struct fixture *f)
{
    f->offices[0] = (struct unit_office){
        .name = "总部",
        .is_headquarters = true,
        .province = "北京市",
        .city = "北京市",
        .address = "海淀区某路1号",
        .floor_area_m2 = 1200,
        .tenure = "owned",
        .staff_count = 300,
        .security_lead = "孙八",
        .phone = "010-12345678",
    };
    f->offices[1] = (struct unit_office){
        .name = "贵阳分公司",
        .province = "贵州省",
        .city = "六盘水市",
        .floor_area_m2 = -1,
        .tenure = "rented",
        .staff_count = -1,
        .phone = "+86 858 822 1234",
    };
    f->u.offices = f->offices;
    f->u.n_offices = 2;
}

static void fixture_staff(struct fixture *f)
{
    f->certs0[0] = "CISP";
    f->certs0[1] = "CISSP";
    f->certs1[0] = "CISP-PTE";
    f->staff[0] = (struct unit_staff){
        .name = "周九",
        .department = "应急响应中心",
        .education = "本科",
        .title = "高级工程师",
        .school = "贵州大学",
        .major = "信息安全",
        .years_in_field = 12,
        .post = "应急响应",
        .in_province = true,
        .certificates = f->certs0,
        .n_certificates = 2,
    };
    f->staff[1] = (struct unit_staff){
        .name = "吴十",
        .years_in_field = -1,
        .certificates = f->certs1,
        .n_certificates = 1,
    };
    f->u.staff = f->staff;
    f->u.n_staff = 2;
}

static void fixture_rest(struct fixture *f)
{
    f->caps[0] = (struct unit_capability){"emergency_handling", "7x24 小时应急响应"};
    f->caps[1] = (struct unit_capability){"penetration_testing", NULL};
    f->caps[2] = (struct unit_capability){"mobile_internet", "移动应用安全检测"};
    f->u.capabilities = f->caps;
    f->u.n_capabilities = 3;
    /* 2026-01-09 00:00 to 2026-01-10 00:00 China time, then the next day. */
    f->oncall[0] = (struct unit_oncall){"周九", "13800138000", 1767888000000, 1767974400000};
    f->oncall[1] = (struct unit_oncall){"吴十", NULL, 1767974400000, 1768060800000};
    f->u.oncall = f->oncall;
    f->u.n_oncall = 2;
}

static void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    f->u.name = "六盘水某网络安全技术有限公司";
    f->u.credit_code = "91350100M000100Y43";
    f->u.registered_capital = 20000000;
    f->u.legal_representative = "郑一";
    f->u.founded_on = "2015-06-01";
    f->u.business_term = "长期";
    f->u.business_scope = "网络安全服务；信息系统集成服务。";
    f->u.registration_authority = "六盘水市市场监督管理局";
    f->u.province = "贵州省";
    f->u.city = "六盘水市";
    f->u.address = "钟山区某路2号";
    fixture_contacts(f);
    fixture_offices(f);
    fixture_staff(f);
    fixture_rest(f);
}

/* unit_validate must fail with YJ_EINVAL naming field. */
static void expect_invalid(const struct unit *u, const char *field)
{
    struct yj_error e;
    enum yj_err rc = unit_validate(u, TODAY, &e);
    if (rc != YJ_EINVAL || strcmp(e.field, field) != 0)
        fail_msg("expected invalid %s, got %s at \"%s\": %s", field, yj_err_name(rc), e.field,
                 e.msg);
    assert_int_equal(e.code, YJ_EINVAL);
    assert_msg_style(&e);
}

static void expect_valid(const struct unit *u)
{
    struct yj_error e;
    enum yj_err rc = unit_validate(u, TODAY, &e);
    if (rc != YJ_OK)
        fail_msg("expected valid, got %s at \"%s\": %s", yj_err_name(rc), e.field, e.msg);
}

/* ---- contact roles ---- */

static void test_role_codes_and_names(void **state)
{
    (void)state;
    static const char *const codes[] = {"emergency_lead", "support_lead", "support_contact",
                                        "selection_contact", "interface"};
    static const char *const names[] = {"网络安全应急工作负责人", "支撑单位工作负责人",
                                        "支撑单位工作联系人", "遴选工作联系人", "接口人"};
    for (int i = 0; i < UNIT_CONTACT__COUNT; i++) {
        enum unit_contact_role r = (enum unit_contact_role)i;
        assert_string_equal(unit_contact_role_code(r), codes[i]);
        assert_string_equal(unit_contact_role_name_zh(r), names[i]);
    }
    assert_null(unit_contact_role_code(UNIT_CONTACT__COUNT));
    assert_null(unit_contact_role_name_zh(UNIT_CONTACT__COUNT));
    assert_null(unit_contact_role_code((enum unit_contact_role) - 1));
    assert_null(unit_contact_role_name_zh((enum unit_contact_role) - 1));
}

static void test_role_parse(void **state)
{
    (void)state;
    for (int i = 0; i < UNIT_CONTACT__COUNT; i++) {
        enum unit_contact_role r = UNIT_CONTACT__COUNT;
        assert_int_equal(
            unit_contact_role_parse(unit_contact_role_code((enum unit_contact_role)i), &r), 0);
        assert_int_equal(r, i);
    }
    enum unit_contact_role r = UNIT_CONTACT_SUPPORT_LEAD;
    assert_int_equal(unit_contact_role_parse("Interface", &r), -1);
    assert_int_equal(unit_contact_role_parse("接口人", &r), -1);
    assert_int_equal(unit_contact_role_parse("", &r), -1);
    assert_int_equal(unit_contact_role_parse("interface ", &r), -1);
    assert_int_equal(unit_contact_role_parse(NULL, &r), -1);
    assert_int_equal(r, UNIT_CONTACT_SUPPORT_LEAD); /* untouched on failure */
}

/* ---- capability fields ---- */

static void test_capability_fields_table(void **state)
{
    (void)state;
    static const struct unit_capability_field want[] = {
        {"monitoring_analysis", "监测分析", "Monitoring and analysis"},
        {"early_warning", "预警通报", "Early warning"},
        {"malware_collection", "病毒收集", "Malware collection"},
        {"security_assessment", "安全评估", "Security assessment"},
        {"security_operations", "安全运维", "Security operations"},
        {"vulnerability_discovery", "漏洞挖掘", "Vulnerability discovery"},
        {"penetration_testing", "渗透测试", "Penetration testing"},
        {"emergency_handling", "应急处置", "Emergency handling"},
        {"forensics_tracing", "取证溯源", "Forensics and tracing"},
        {"data_security", "数据安全", "Data security"},
        {"mobile_internet", "移动互联网", "Mobile internet"},
    };
    assert_int_equal(unit_capability_fields_count, YJ_ARRAY_LEN(want));
    assert_int_equal(unit_capability_fields_count, UNIT_CAPS_MAX);
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        assert_string_equal(unit_capability_fields[i].code, want[i].code);
        assert_string_equal(unit_capability_fields[i].name_zh, want[i].name_zh);
        assert_string_equal(unit_capability_fields[i].name_en, want[i].name_en);
    }
}

static void test_capability_field_known(void **state)
{
    (void)state;
    for (size_t i = 0; i < unit_capability_fields_count; i++)
        assert_true(unit_capability_field_known(unit_capability_fields[i].code));
    assert_false(unit_capability_field_known(NULL));
    assert_false(unit_capability_field_known(""));
    assert_false(unit_capability_field_known("Emergency_handling"));
    assert_false(unit_capability_field_known("emergency_handling "));
    assert_false(unit_capability_field_known("应急处置"));
    assert_false(unit_capability_field_known("forensics"));
}

/* ---- credit code ---- */

/* Codes whose check characters were recomputed independently (Python) before use. */
static const char *const good_codes[] = {
    "91350100M000100Y43", /* the example printed in GB 32100-2015 */
    "91310110666007217T", "91310115591693856A", "91440300708461136T", "91110108551385082Q",
    "92371000MA3MXH0E3W", "51610700305332460K", "11610923MB2900168E", "913502000728319549",
    "91520100MA6DJ000D0", /* constructed: weighted sum divisible by 31, check value 31 -> 0 */
    "91520100MA6DJ000PY", /* constructed: check value 30, the last character */
};

static void test_credit_code_good(void **state)
{
    (void)state;
    for (size_t i = 0; i < YJ_ARRAY_LEN(good_codes); i++) {
        struct yj_error e;
        yj_error_clear(&e);
        if (unit_credit_code_check(good_codes[i], &e) != YJ_OK)
            fail_msg("%s rejected: %s", good_codes[i], e.msg);
        assert_int_equal(unit_credit_code_check_char(good_codes[i]), good_codes[i][17]);
    }
    assert_int_equal(unit_credit_code_check(good_codes[0], NULL), YJ_OK);
}

/* Every single substitution in positions 1-17 changes the check character. */
static void test_credit_code_substitutions_detected(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    char code[19];
    for (size_t g = 0; g < YJ_ARRAY_LEN(good_codes); g++) {
        for (int pos = 0; pos < 17; pos++) {
            for (const char *a = alphabet; *a; a++) {
                memcpy(code, good_codes[g], sizeof code);
                if (*a == code[pos] || (pos >= 2 && pos < 8 && (*a < '0' || *a > '9')))
                    continue;
                code[pos] = *a;
                struct yj_error e;
                assert_int_equal(unit_credit_code_check(code, &e), YJ_EINVAL);
                assert_string_equal(e.field, "credit_code");
                assert_msg_has(&e, "check character");
            }
        }
    }
}

/* Whether positions 3-8 are digits. */
static bool division_digits(const char *code)
{
    for (int i = 2; i < 8; i++)
        if (code[i] < '0' || code[i] > '9')
            return false;
    return true;
}

/* Adjacent transpositions are caught too: neighbouring weights differ mod 31. */
static void test_credit_code_transpositions_detected(void **state)
{
    (void)state;
    char code[19];
    for (size_t g = 0; g < YJ_ARRAY_LEN(good_codes); g++) {
        for (int pos = 0; pos < 16; pos++) {
            memcpy(code, good_codes[g], sizeof code);
            if (code[pos] == code[pos + 1])
                continue;
            char t = code[pos];
            code[pos] = code[pos + 1];
            code[pos + 1] = t;
            if (!division_digits(code))
                continue; /* a letter moved into the division code: a different error */
            assert_int_equal(unit_credit_code_check(code, NULL), YJ_EINVAL);
        }
    }
}

static void test_credit_code_wrong_check_message(void **state)
{
    (void)state;
    struct yj_error e;
    assert_int_equal(unit_credit_code_check("91350100M000100Y44", &e), YJ_EINVAL);
    assert_string_equal(e.field, "credit_code");
    assert_msg_has(&e, "wrong check character");
    assert_msg_has(&e, "should be 3");
    assert_msg_style(&e);
    /* A pilot-era code issued before the standard; its check character does not fit. */
    assert_int_equal(unit_credit_code_check("91350211M00013FA1N", &e), YJ_EINVAL);
    assert_msg_has(&e, "should be 3");
}

static void test_credit_code_length(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "91350100M000100Y4",   "91350100M000100Y433", "9", "91350100M000100Y43 ",
        " 91350100M000100Y43", "9135010０M000100Y43" /* a full-width digit */};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        struct yj_error e;
        assert_int_equal(unit_credit_code_check(bad[i], &e), YJ_EINVAL);
        assert_string_equal(e.field, "credit_code");
        assert_msg_has(&e, "wrong length");
        assert_msg_style(&e);
    }
    struct yj_error e;
    assert_int_equal(unit_credit_code_check("", &e), YJ_EINVAL);
    assert_string_equal(e.msg, "required");
    assert_int_equal(unit_credit_code_check(NULL, &e), YJ_EINVAL);
    assert_string_equal(e.msg, "required");
}

static void test_credit_code_characters(void **state)
{
    (void)state;
    struct yj_error e;
    assert_int_equal(unit_credit_code_check("91350100m000100Y43", &e), YJ_EINVAL);
    assert_msg_has(&e, "position 9");
    assert_msg_has(&e, "upper case");
    assert_msg_style(&e);
    assert_int_equal(unit_credit_code_check("91350100M000100y43", &e), YJ_EINVAL);
    assert_msg_has(&e, "position 16");
    assert_msg_has(&e, "upper case");

    /* I, O, S, V, Z are not in the alphabet, in either case. */
    static const char *const bad[] = {"91350100I000100Y43",
                                      "91350100O000100Y43",
                                      "91350100S000100Y43",
                                      "91350100V000100Y43",
                                      "91350100Z000100Y43",
                                      "91350100o000100Y43",
                                      "91350100-000100Y43",
                                      ("91350100\x01"
                                       "000100Y43")};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        assert_int_equal(unit_credit_code_check(bad[i], &e), YJ_EINVAL);
        assert_string_equal(e.field, "credit_code");
        assert_msg_has(&e, "not allowed at position 9");
    }
    assert_int_equal(unit_credit_code_check("Z1350100M000100Y43", &e), YJ_EINVAL);
    assert_msg_has(&e, "position 1");
    assert_int_equal(unit_credit_code_check("91350100M000100YI3", &e), YJ_EINVAL);
    assert_msg_has(&e, "position 17");
    assert_int_equal(unit_credit_code_check("91350100M000100Y4O", &e), YJ_EINVAL);
    assert_msg_has(&e, "position 18");
}

static void test_credit_code_division_digits(void **state)
{
    (void)state;
    static const char *const bad[] = {"91A50100M000100Y43", "9135010AM000100Y43",
                                      "91YYYYYYM000100Y43"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        struct yj_error e;
        assert_int_equal(unit_credit_code_check(bad[i], &e), YJ_EINVAL);
        assert_string_equal(e.field, "credit_code");
        assert_msg_has(&e, "division code not digits");
    }
    /* Positions 1-2 and 9-17 may be letters. */
    assert_int_equal(unit_credit_code_check("92371000MA3MXH0E3W", NULL), YJ_OK);
}

static void test_credit_code_check_char(void **state)
{
    (void)state;
    assert_int_equal(unit_credit_code_check_char("91350100M000100Y4"), '3');
    assert_int_equal(unit_credit_code_check_char("91520100MA6DJ000D"), '0');
    assert_int_equal(unit_credit_code_check_char("91520100MA6DJ000P"), 'Y');
    /* Only the first 17 characters count. */
    assert_int_equal(unit_credit_code_check_char("91350100M000100Y4Z and more"), '3');
    assert_int_equal(unit_credit_code_check_char("00000000000000000"), '0');
    assert_int_equal(unit_credit_code_check_char(NULL), 0);
    assert_int_equal(unit_credit_code_check_char(""), 0);
    assert_int_equal(unit_credit_code_check_char("91350100M000100Y"), 0); /* 16 characters */
    assert_int_equal(unit_credit_code_check_char("91350100M000100I4"), 0);
    assert_int_equal(unit_credit_code_check_char("91350100m000100Y4"), 0);
}

/* ---- mobile, phone, e-mail, province ---- */

static void test_mobile_valid(void **state)
{
    (void)state;
    static const char *const good[] = {"13800138000",    "19912345678",     "15000000000",
                                       "+8613800138000", "+86 13800138000", "+86-13800138000",
                                       "8613800138000",  "86 13800138000",  "17012345678"};
    static const char *const bad[] = {NULL,
                                      "",
                                      "12800138000",
                                      "10800138000",
                                      "23800138000",
                                      "1380013800",
                                      "138001380000",
                                      "138 0013 8000",
                                      "138-0013-8000",
                                      "1380013800a",
                                      " 13800138000",
                                      "13800138000 ",
                                      "+85213800138000",
                                      "+86",
                                      "+86  13800138000",
                                      "+8612800138000",
                                      "0086 13800138000",
                                      "８613800138000",
                                      "+1 13800138000"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++)
        if (!unit_mobile_valid(good[i]))
            fail_msg("\"%s\" rejected", good[i]);
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++)
        if (unit_mobile_valid(bad[i]))
            fail_msg("\"%s\" accepted", bad[i]);
}

static void test_phone_valid(void **state)
{
    (void)state;
    static const char *const good[] = {
        "0858-8221234",
        "010-12345678-801",
        "+86 10 1234 5678",
        "01012345678",
        "(0858)8221234",
        "(010) 12345678",
        "(010)-12345678",
        "82345678",
        "8221234",
        "400-800-1234",
        "8008001234",
        "13800138000",
        "+86 858 822 1234",
        "+86-755-12345678",
        "+8613800138000",
        "0858 822 1234",
        "010-12345678 转 801",
        "010-12345678转801",
        "010-12345678 ext. 801",
        "010-12345678 ext 8",
        "010-12345678x801",
        "010-12345678#801",
        "0755-1234-5678",
        "82345678-1",
    };
    static const char *const bad[] = {
        NULL,
        "",
        "abc",
        "-010-12345678",
        "010--12345678",
        "010-12345678-",
        "010 -12345678",
        "0858-822123",      /* area code and a 6-digit number */
        "000-12345678",     /* 00 starts an international call */
        "+86 0858 8221234", /* the area code's 0 is dropped after +86 */
        "+1 202 555 0100",
        "+86",
        "1234567",     /* starts with 1: only a mobile may */
        "12800138000", /* not a mobile */
        "12345",
        "823456789", /* 9 digits without an area code */
        "12345678",  /* local numbers never start with 1 */
        "4001234567890",
        "010-12345678-1234567", /* extension too long */
        "010-12345678 转 1234567",
        "010-12345678 ext",
        "010-12345678转",
        "010-12345678 x801x",
        "(0858 8221234",
        "()8221234",
        "0858)8221234",
        "010-12345678 ",
        " 010-12345678",
        "010\t12345678",
        "010.1234.5678",
        "01012345678012345678901234567890123456789", /* over 40 bytes */
        "0101234567801234567890123456",              /* too many digits */
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++)
        if (!unit_phone_valid(good[i]))
            fail_msg("\"%s\" rejected", good[i]);
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++)
        if (unit_phone_valid(bad[i]))
            fail_msg("\"%s\" accepted", bad[i]);
}

static void test_email_valid(void **state)
{
    (void)state;
    char *local64 = repeat("a", 64), *local65 = repeat("a", 65);
    char *label63 = repeat("b", 63), *label64 = repeat("b", 64);
    char long_ok[300], long_bad[300], l64[100], l65[100], lab63[100], lab64[100];
    /* 64 + 1 + 63 + 1 + 63 + 1 + 58 + 3 = 254 bytes, then 255. */
    char *tail58 = repeat("c", 58), *tail59 = repeat("c", 59);
    snprintf(long_ok, sizeof long_ok, "%s@%s.%s.%s.cn", local64, label63, label63, tail58);
    snprintf(long_bad, sizeof long_bad, "%s@%s.%s.%s.cn", local64, label63, label63, tail59);
    assert_int_equal(strlen(long_ok), 254);
    assert_int_equal(strlen(long_bad), 255);
    snprintf(l64, sizeof l64, "%s@example.com", local64);
    snprintf(l65, sizeof l65, "%s@example.com", local65);
    snprintf(lab63, sizeof lab63, "a@%s.com", label63);
    snprintf(lab64, sizeof lab64, "a@%s.com", label64);

    const char *const good[] = {"a@example.com",
                                "first.last+tag@sub.example.com.cn",
                                "x_y-z@a-b.cn",
                                "USER@EXAMPLE.ORG",
                                "o'brien@example.ie",
                                "123@163.com",
                                "a@xn--fiqs8s.xn--fiqs8s",
                                long_ok,
                                l64,
                                lab63};
    const char *const bad[] = {NULL,
                               "",
                               "plain",
                               "@example.com",
                               "a@",
                               "a@b",
                               "a@@b.com",
                               "a@b@c.com",
                               ".a@b.com",
                               "a.@b.com",
                               "a..b@c.com",
                               "a@-b.com",
                               "a@b-.com",
                               "a@b..com",
                               "a@b.com.",
                               "a@.b.com",
                               "a@b.c",
                               "a@1.2.3.4",
                               "a@b.c0m",
                               "a@[1.2.3.4]",
                               "a b@c.com",
                               "a@b c.com",
                               "张三@example.com",
                               "a@例子.中国",
                               "a@b_c.com",
                               "\"a\"@b.com",
                               "a@b.com\n",
                               "a(b)@c.com",
                               long_bad,
                               l65,
                               lab64};
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++)
        if (!unit_email_valid(good[i]))
            fail_msg("\"%s\" rejected", good[i]);
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++)
        if (unit_email_valid(bad[i]))
            fail_msg("\"%s\" accepted", bad[i]);
    free(local64);
    free(local65);
    free(label63);
    free(label64);
    free(tail58);
    free(tail59);
}

static void test_province_valid(void **state)
{
    (void)state;
    static const char *const all[] = {
        "北京市",         "天津市",           "上海市",         "重庆市",         "河北省",
        "山西省",         "辽宁省",           "吉林省",         "黑龙江省",       "江苏省",
        "浙江省",         "安徽省",           "福建省",         "江西省",         "山东省",
        "河南省",         "湖北省",           "湖南省",         "广东省",         "海南省",
        "四川省",         "贵州省",           "云南省",         "陕西省",         "甘肃省",
        "青海省",         "台湾省",           "内蒙古自治区",   "广西壮族自治区", "西藏自治区",
        "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区",
    };
    assert_int_equal(YJ_ARRAY_LEN(all), 34);
    for (size_t i = 0; i < YJ_ARRAY_LEN(all); i++)
        if (!unit_province_valid(all[i]))
            fail_msg("%s rejected", all[i]);
    static const char *const bad[] = {
        NULL,         "",         "贵州",         "北京",       "广西自治区", "内蒙古",
        "新疆自治区", "香港",     "澳门特区",     "Guizhou",    "贵州省 ",    " 贵州省",
        "中国",       "六盘水市", "贵州省贵州省", "宁夏自治区", "西藏",
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++)
        if (unit_province_valid(bad[i]))
            fail_msg("\"%s\" accepted", bad[i] ? bad[i] : "(null)");
}

/* ---- unit_validate: the whole unit ---- */

static void test_validate_full_unit(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct yj_error e;
    yj_error_set(&e, YJ_EIO, "stale", "left over from before");
    assert_int_equal(unit_validate(&f.u, TODAY, &e), YJ_OK);
    assert_int_equal(e.code, YJ_OK);
    assert_string_equal(e.field, "");
    assert_int_equal(unit_validate(&f.u, TODAY, NULL), YJ_OK);
}

static void test_validate_minimal_unit(void **state)
{
    (void)state;
    struct unit u = {
        .name = "某公司", .credit_code = "91350100M000100Y43", .registered_capital = -1};
    expect_valid(&u);
}

static void test_validate_caller_bugs(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct yj_error e;
    assert_int_equal(unit_validate(NULL, TODAY, &e), YJ_EINTERNAL);
    assert_int_equal(unit_validate(&f.u, NULL, &e), YJ_EINTERNAL);
    assert_int_equal(unit_validate(&f.u, "2026-02-30", &e), YJ_EINTERNAL);
    assert_int_equal(unit_validate(&f.u, "today", NULL), YJ_EINTERNAL);
}

static void test_validate_required(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.u.name = NULL;
    expect_invalid(&f.u, "name");
    f.u.name = "";
    expect_invalid(&f.u, "name");
    f.u.name = " \t\n";
    expect_invalid(&f.u, "name");
    fixture_init(&f);
    f.u.credit_code = NULL;
    expect_invalid(&f.u, "credit_code");
    f.u.credit_code = "91350100M000100Y44";
    expect_invalid(&f.u, "credit_code");
    f.u.credit_code = "91350100m000100Y43";
    expect_invalid(&f.u, "credit_code");
}

/* A text member of some struct, its path in errors and its limit. */
struct text_member {
    size_t offset;
    const char *path;
    size_t max;
};

static void set_text(void *obj, size_t offset, const char *v)
{
    memcpy((char *)obj + offset, &v, sizeof v);
}

/* For each member: the limit passes, one more fails, and bad UTF-8 or controls fail. */
static void check_text_members(struct fixture *f, void *obj, const struct text_member *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fixture_init(f);
        char *at_max = repeat("汉", m[i].max), *over = repeat("a", m[i].max + 1);
        set_text(obj, m[i].offset, at_max);
        expect_valid(&f->u);
        set_text(obj, m[i].offset, over);
        expect_invalid(&f->u, m[i].path);
        set_text(obj, m[i].offset, "bad \xff byte");
        expect_invalid(&f->u, m[i].path);
        set_text(obj, m[i].offset, "\xe6\xb1"); /* a truncated 汉 */
        expect_invalid(&f->u, m[i].path);
        set_text(obj, m[i].offset, "bell \x07");
        expect_invalid(&f->u, m[i].path);
        set_text(obj, m[i].offset, "line\nbreak\tand tab");
        expect_valid(&f->u);
        free(at_max);
        free(over);
    }
}

/* Optional text may be absent or empty. */
static void check_optional_members(struct fixture *f, void *obj, const struct text_member *m,
                                   size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fixture_init(f);
        set_text(obj, m[i].offset, NULL);
        expect_valid(&f->u);
        set_text(obj, m[i].offset, "");
        expect_valid(&f->u);
    }
}

/* Required text must be present and not blank. */
static void check_required_members(struct fixture *f, void *obj, const struct text_member *m,
                                   size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fixture_init(f);
        set_text(obj, m[i].offset, NULL);
        expect_invalid(&f->u, m[i].path);
        set_text(obj, m[i].offset, "");
        expect_invalid(&f->u, m[i].path);
        set_text(obj, m[i].offset, "   ");
        expect_invalid(&f->u, m[i].path);
    }
}

#define M(type, member, path, max)                                                                 \
    {                                                                                              \
        offsetof(type, member), path, max                                                          \
    }

static void test_validate_unit_text(void **state)
{
    (void)state;
    struct fixture f;
    static const struct text_member text[] = {
        M(struct unit, name, "name", UNIT_NAME_MAX),
        M(struct unit, legal_representative, "legal_representative", UNIT_TEXT_MAX),
        M(struct unit, business_term, "business_term", UNIT_TEXT_MAX),
        M(struct unit, business_scope, "business_scope", UNIT_LONG_TEXT_MAX),
        M(struct unit, registration_authority, "registration_authority", UNIT_TEXT_MAX),
        M(struct unit, city, "city", UNIT_TEXT_MAX),
        M(struct unit, address, "address", UNIT_TEXT_MAX),
    };
    check_text_members(&f, &f.u, text, YJ_ARRAY_LEN(text));
    check_optional_members(&f, &f.u, text + 1, YJ_ARRAY_LEN(text) - 1);
}

static void test_validate_registered_capital(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    static const int64_t good[] = {-1, 0, 1, 2000000, INT64_C(10000000000000)};
    static const int64_t bad[] = {-2, INT64_MIN, INT64_C(10000000000001), INT64_MAX};
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++) {
        f.u.registered_capital = good[i];
        expect_valid(&f.u);
    }
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        f.u.registered_capital = bad[i];
        expect_invalid(&f.u, "registered_capital");
    }
}

static void test_validate_founded_on(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    static const char *const good[] = {NULL, TODAY, "2026-01-08", "1000-01-01", "2024-02-29"};
    static const char *const bad[] = {
        "",         "2026-01-10", "2027-01-01", "2023-02-29", "2020-13-01",
        "2020-1-1", "2020/01/01", "20200101",   "0999-01-01", "2020-01-01T00:00:00Z"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++) {
        f.u.founded_on = good[i];
        expect_valid(&f.u);
    }
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        f.u.founded_on = bad[i];
        expect_invalid(&f.u, "founded_on");
    }
    struct yj_error e;
    f.u.founded_on = "2026-01-10";
    unit_validate(&f.u, TODAY, &e);
    assert_msg_has(&e, "future");
    /* The same date is fine the next day. */
    assert_int_equal(unit_validate(&f.u, "2026-01-10", &e), YJ_OK);
}

static void test_validate_province(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.u.province = NULL;
    expect_valid(&f.u);
    f.u.province = "新疆维吾尔自治区";
    expect_valid(&f.u);
    f.u.province = "贵州";
    expect_invalid(&f.u, "province");
    f.u.province = "";
    expect_invalid(&f.u, "province");
}

/* ---- contacts ---- */

static void test_validate_contact_text(void **state)
{
    (void)state;
    struct fixture f;
    static const struct text_member text[] = {
        M(struct unit_contact, name, "contacts[3].name", UNIT_TEXT_MAX),
        M(struct unit_contact, dept_title, "contacts[3].dept_title", UNIT_TEXT_MAX),
    };
    check_text_members(&f, &f.contacts[3], text, 2);
    check_required_members(&f, &f.contacts[3], text, 1);
    check_optional_members(&f, &f.contacts[3], text + 1, 1);
}

static void test_validate_contact_formats(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.contacts[1].mobile = "12800138000";
    expect_invalid(&f.u, "contacts[1].mobile");
    f.contacts[1].mobile = NULL;
    expect_valid(&f.u);
    f.contacts[2].office_phone = "phone";
    expect_invalid(&f.u, "contacts[2].office_phone");
    f.contacts[2].office_phone = NULL;
    expect_valid(&f.u);
    f.contacts[1].email = "someone@";
    expect_invalid(&f.u, "contacts[1].email");
    f.contacts[1].email = NULL;
    expect_valid(&f.u);

    /* Messages never repeat the personal data that failed. */
    struct yj_error e;
    f.contacts[0].email = "zhang.san.secret@";
    f.contacts[0].mobile = "1234567890123";
    unit_validate(&f.u, TODAY, &e);
    assert_string_equal(e.field, "contacts[0].mobile");
    assert_null(strstr(e.msg, "1234567890123"));
    f.contacts[0].mobile = NULL;
    unit_validate(&f.u, TODAY, &e);
    assert_string_equal(e.field, "contacts[0].email");
    assert_null(strstr(e.msg, "zhang"));
}

static void test_validate_contact_roles(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.contacts[1].role = f.contacts[0].role;
    expect_invalid(&f.u, "contacts[1].role");
    fixture_init(&f);
    f.contacts[4].role = UNIT_CONTACT_SUPPORT_CONTACT;
    expect_invalid(&f.u, "contacts[4].role");
    fixture_init(&f);
    f.contacts[2].role = UNIT_CONTACT__COUNT;
    expect_invalid(&f.u, "contacts[2].role");
    f.contacts[2].role = (enum unit_contact_role) - 1;
    expect_invalid(&f.u, "contacts[2].role");
    /* Fewer contacts, in any order, are fine. */
    fixture_init(&f);
    f.contacts[0].role = UNIT_CONTACT_INTERFACE;
    f.contacts[1].role = UNIT_CONTACT_EMERGENCY_LEAD;
    f.u.n_contacts = 2;
    expect_valid(&f.u);
}

static void test_validate_contact_count(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct unit_contact six[UNIT_CONTACTS_MAX + 1];
    memcpy(six, f.contacts, sizeof f.contacts);
    six[UNIT_CONTACTS_MAX] = f.contacts[0];
    f.u.contacts = six;
    f.u.n_contacts = UNIT_CONTACTS_MAX + 1;
    expect_invalid(&f.u, "contacts");
    f.u.n_contacts = 0;
    f.u.contacts = NULL;
    expect_valid(&f.u);
    /* A count without items is the decoder's bug. */
    struct yj_error e;
    f.u.n_contacts = 1;
    assert_int_equal(unit_validate(&f.u, TODAY, &e), YJ_EINTERNAL);
    assert_string_equal(e.field, "contacts");
}

/* ---- offices ---- */

static void test_validate_office_text(void **state)
{
    (void)state;
    struct fixture f;
    static const struct text_member text[] = {
        M(struct unit_office, name, "offices[1].name", UNIT_TEXT_MAX),
        M(struct unit_office, city, "offices[1].city", UNIT_TEXT_MAX),
        M(struct unit_office, address, "offices[1].address", UNIT_TEXT_MAX),
        M(struct unit_office, security_lead, "offices[1].security_lead", UNIT_TEXT_MAX),
    };
    check_text_members(&f, &f.offices[1], text, YJ_ARRAY_LEN(text));
    check_optional_members(&f, &f.offices[1], text, YJ_ARRAY_LEN(text));
}

static void test_validate_office_fields(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.offices[1].province = "黔";
    expect_invalid(&f.u, "offices[1].province");
    f.offices[1].province = NULL;
    expect_valid(&f.u);
    f.offices[0].tenure = "leased";
    expect_invalid(&f.u, "offices[0].tenure");
    f.offices[0].tenure = "Owned";
    expect_invalid(&f.u, "offices[0].tenure");
    f.offices[0].tenure = "";
    expect_invalid(&f.u, "offices[0].tenure");
    f.offices[0].tenure = NULL;
    expect_valid(&f.u);
    f.offices[0].tenure = "rented";
    expect_valid(&f.u);
    f.offices[1].phone = "0858-82212";
    expect_invalid(&f.u, "offices[1].phone");
    f.offices[1].phone = NULL;
    expect_valid(&f.u);
}

static void test_validate_office_numbers(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    static const int64_t good[] = {-1, 0, 1, 10000000};
    static const int64_t bad[] = {-2, INT64_MIN, 10000001, INT64_MAX};
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++) {
        f.offices[1].floor_area_m2 = good[i];
        f.offices[1].staff_count = good[i];
        expect_valid(&f.u);
    }
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        f.offices[1].floor_area_m2 = bad[i];
        expect_invalid(&f.u, "offices[1].floor_area_m2");
        f.offices[1].floor_area_m2 = -1;
        f.offices[1].staff_count = bad[i];
        expect_invalid(&f.u, "offices[1].staff_count");
        f.offices[1].staff_count = -1;
    }
}

static void test_validate_office_count(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct unit_office *many = calloc(UNIT_OFFICES_MAX + 1, sizeof *many);
    assert_non_null(many);
    for (size_t i = 0; i <= UNIT_OFFICES_MAX; i++)
        many[i] = (struct unit_office){.floor_area_m2 = -1, .staff_count = -1};
    f.u.offices = many;
    f.u.n_offices = UNIT_OFFICES_MAX;
    expect_valid(&f.u);
    f.u.n_offices = UNIT_OFFICES_MAX + 1;
    expect_invalid(&f.u, "offices");
    many[UNIT_OFFICES_MAX - 1].staff_count = -7;
    f.u.n_offices = UNIT_OFFICES_MAX;
    expect_invalid(&f.u, "offices[99].staff_count");
    free(many);
}

/* ---- staff ---- */

static void test_validate_staff_text(void **state)
{
    (void)state;
    struct fixture f;
    static const struct text_member text[] = {
        M(struct unit_staff, name, "staff[1].name", UNIT_TEXT_MAX),
        M(struct unit_staff, department, "staff[1].department", UNIT_TEXT_MAX),
        M(struct unit_staff, education, "staff[1].education", UNIT_TEXT_MAX),
        M(struct unit_staff, title, "staff[1].title", UNIT_TEXT_MAX),
        M(struct unit_staff, school, "staff[1].school", UNIT_TEXT_MAX),
        M(struct unit_staff, major, "staff[1].major", UNIT_TEXT_MAX),
        M(struct unit_staff, post, "staff[1].post", UNIT_TEXT_MAX),
    };
    check_text_members(&f, &f.staff[1], text, YJ_ARRAY_LEN(text));
    check_required_members(&f, &f.staff[1], text, 1);
    check_optional_members(&f, &f.staff[1], text + 1, YJ_ARRAY_LEN(text) - 1);
}

static void test_validate_staff_years(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    static const int64_t good[] = {-1, 0, 3, 80};
    static const int64_t bad[] = {-2, 81, INT64_MAX, INT64_MIN};
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++) {
        f.staff[0].years_in_field = good[i];
        expect_valid(&f.u);
    }
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        f.staff[0].years_in_field = bad[i];
        expect_invalid(&f.u, "staff[0].years_in_field");
    }
}

static void test_validate_staff_certificates(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.certs0[1] = "";
    expect_invalid(&f.u, "staff[0].certificates[1]");
    f.certs0[1] = "  ";
    expect_invalid(&f.u, "staff[0].certificates[1]");
    f.certs0[1] = NULL;
    expect_invalid(&f.u, "staff[0].certificates[1]");
    f.certs0[1] = "CISSP";
    char *over = repeat("证", UNIT_TEXT_MAX + 1), *at_max = repeat("证", UNIT_TEXT_MAX);
    f.certs1[0] = over;
    expect_invalid(&f.u, "staff[1].certificates[0]");
    f.certs1[0] = "\xc0\x80"; /* an overlong NUL */
    expect_invalid(&f.u, "staff[1].certificates[0]");
    f.certs0[1] = at_max;
    f.certs1[0] = at_max;
    expect_valid(&f.u);
    f.certs0[1] = "CISSP";
    free(over);
    free(at_max);

    /* No certificates at all is fine; a count without items is a bug. */
    f.staff[1].certificates = NULL;
    f.staff[1].n_certificates = 0;
    expect_valid(&f.u);
    struct yj_error e;
    f.staff[1].n_certificates = 1;
    assert_int_equal(unit_validate(&f.u, TODAY, &e), YJ_EINTERNAL);
    assert_string_equal(e.field, "staff[1].certificates");
}

static void test_validate_staff_certificate_count(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    const char *certs[UNIT_CERTS_MAX + 1];
    for (size_t i = 0; i < YJ_ARRAY_LEN(certs); i++)
        certs[i] = "CISP";
    f.staff[1].certificates = certs;
    f.staff[1].n_certificates = UNIT_CERTS_MAX;
    expect_valid(&f.u);
    f.staff[1].n_certificates = UNIT_CERTS_MAX + 1;
    expect_invalid(&f.u, "staff[1].certificates");
}

static void test_validate_staff_count(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct unit_staff *many = calloc(UNIT_STAFF_MAX + 1, sizeof *many);
    assert_non_null(many);
    for (size_t i = 0; i <= UNIT_STAFF_MAX; i++)
        many[i] = (struct unit_staff){.name = "某人", .years_in_field = -1};
    f.u.staff = many;
    f.u.n_staff = UNIT_STAFF_MAX;
    expect_valid(&f.u);
    f.u.n_staff = UNIT_STAFF_MAX + 1;
    expect_invalid(&f.u, "staff");
    f.u.n_staff = UNIT_STAFF_MAX;
    many[1999].name = NULL;
    expect_invalid(&f.u, "staff[1999].name");
    free(many);
    f.u.staff = NULL;
    f.u.n_staff = 0;
    expect_valid(&f.u);
}

/* ---- capabilities ---- */

static void test_validate_capabilities(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.caps[0].field = NULL;
    expect_invalid(&f.u, "capabilities[0].field");
    f.caps[0].field = "hacking";
    expect_invalid(&f.u, "capabilities[0].field");
    f.caps[0].field = "应急处置";
    expect_invalid(&f.u, "capabilities[0].field");
    fixture_init(&f);
    f.caps[2].field = f.caps[0].field;
    expect_invalid(&f.u, "capabilities[2].field");
    fixture_init(&f);
    f.caps[1].description = "";
    expect_valid(&f.u);
    char *at_max = repeat("强", UNIT_LONG_TEXT_MAX), *over = repeat("强", UNIT_LONG_TEXT_MAX + 1);
    f.caps[1].description = at_max;
    expect_valid(&f.u);
    f.caps[1].description = over;
    expect_invalid(&f.u, "capabilities[1].description");
    f.caps[1].description = "\xed\xa0\x80"; /* a UTF-16 surrogate */
    expect_invalid(&f.u, "capabilities[1].description");
    free(at_max);
    free(over);
}

static void test_validate_capability_count(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct unit_capability all[UNIT_CAPS_MAX + 1];
    for (size_t i = 0; i < UNIT_CAPS_MAX; i++)
        all[i] = (struct unit_capability){unit_capability_fields[i].code, NULL};
    all[UNIT_CAPS_MAX] = all[0];
    f.u.capabilities = all;
    f.u.n_capabilities = UNIT_CAPS_MAX;
    expect_valid(&f.u);
    f.u.n_capabilities = UNIT_CAPS_MAX + 1;
    expect_invalid(&f.u, "capabilities");
}

/* ---- on-call roster ---- */

static void test_validate_oncall(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.oncall[0].person = NULL;
    expect_invalid(&f.u, "oncall[0].person");
    f.oncall[0].person = " ";
    expect_invalid(&f.u, "oncall[0].person");
    f.oncall[0].person = "\xff";
    expect_invalid(&f.u, "oncall[0].person");
    char *over = repeat("值", UNIT_TEXT_MAX + 1);
    f.oncall[0].person = over;
    expect_invalid(&f.u, "oncall[0].person");
    free(over);
    fixture_init(&f);
    f.oncall[1].mobile = "010-12345678";
    expect_invalid(&f.u, "oncall[1].mobile");
    fixture_init(&f);
    f.oncall[1].ends_at = f.oncall[1].starts_at;
    expect_invalid(&f.u, "oncall[1].ends_at");
    f.oncall[1].ends_at = f.oncall[1].starts_at - 1;
    expect_invalid(&f.u, "oncall[1].ends_at");
    f.oncall[1].ends_at = f.oncall[1].starts_at + 1;
    expect_valid(&f.u);
}

static void test_validate_oncall_count(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    struct unit_oncall *many = calloc(UNIT_ONCALL_MAX + 1, sizeof *many);
    assert_non_null(many);
    for (size_t i = 0; i <= UNIT_ONCALL_MAX; i++)
        many[i] = (struct unit_oncall){"某人", NULL, (int64_t)i * 1000, (int64_t)i * 1000 + 1000};
    f.u.oncall = many;
    f.u.n_oncall = UNIT_ONCALL_MAX;
    expect_valid(&f.u);
    f.u.n_oncall = UNIT_ONCALL_MAX + 1;
    expect_invalid(&f.u, "oncall");
    free(many);
}

/* The first problem wins, in the order the header lists the fields. */
static void test_validate_first_problem_wins(void **state)
{
    (void)state;
    struct fixture f;
    fixture_init(&f);
    f.oncall[0].person = NULL;
    f.caps[0].field = "nope";
    f.staff[0].name = NULL;
    f.offices[0].tenure = "nope";
    f.contacts[0].name = NULL;
    f.u.city = "\xff";
    expect_invalid(&f.u, "city");
    f.u.city = NULL;
    expect_invalid(&f.u, "contacts[0].name");
    f.contacts[0].name = "张三";
    expect_invalid(&f.u, "offices[0].tenure");
    f.offices[0].tenure = NULL;
    expect_invalid(&f.u, "staff[0].name");
    f.staff[0].name = "周九";
    expect_invalid(&f.u, "capabilities[0].field");
    f.caps[0].field = "data_security";
    expect_invalid(&f.u, "oncall[0].person");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_codes_and_names),
        cmocka_unit_test(test_role_parse),
        cmocka_unit_test(test_capability_fields_table),
        cmocka_unit_test(test_capability_field_known),
        cmocka_unit_test(test_credit_code_good),
        cmocka_unit_test(test_credit_code_substitutions_detected),
        cmocka_unit_test(test_credit_code_transpositions_detected),
        cmocka_unit_test(test_credit_code_wrong_check_message),
        cmocka_unit_test(test_credit_code_length),
        cmocka_unit_test(test_credit_code_characters),
        cmocka_unit_test(test_credit_code_division_digits),
        cmocka_unit_test(test_credit_code_check_char),
        cmocka_unit_test(test_mobile_valid),
        cmocka_unit_test(test_phone_valid),
        cmocka_unit_test(test_email_valid),
        cmocka_unit_test(test_province_valid),
        cmocka_unit_test(test_validate_full_unit),
        cmocka_unit_test(test_validate_minimal_unit),
        cmocka_unit_test(test_validate_caller_bugs),
        cmocka_unit_test(test_validate_required),
        cmocka_unit_test(test_validate_unit_text),
        cmocka_unit_test(test_validate_registered_capital),
        cmocka_unit_test(test_validate_founded_on),
        cmocka_unit_test(test_validate_province),
        cmocka_unit_test(test_validate_contact_text),
        cmocka_unit_test(test_validate_contact_formats),
        cmocka_unit_test(test_validate_contact_roles),
        cmocka_unit_test(test_validate_contact_count),
        cmocka_unit_test(test_validate_office_text),
        cmocka_unit_test(test_validate_office_fields),
        cmocka_unit_test(test_validate_office_numbers),
        cmocka_unit_test(test_validate_office_count),
        cmocka_unit_test(test_validate_staff_text),
        cmocka_unit_test(test_validate_staff_years),
        cmocka_unit_test(test_validate_staff_certificates),
        cmocka_unit_test(test_validate_staff_certificate_count),
        cmocka_unit_test(test_validate_staff_count),
        cmocka_unit_test(test_validate_capabilities),
        cmocka_unit_test(test_validate_capability_count),
        cmocka_unit_test(test_validate_oncall),
        cmocka_unit_test(test_validate_oncall_count),
        cmocka_unit_test(test_validate_first_problem_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

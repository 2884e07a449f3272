/*
 * test_disposal.c - the rules of disposal notices: the plan (owners by the most
 * specific range or the longest domain, C&C endpoints by their host, e-mail by its
 * domain, five-tuples to the owners of either end, hashes and apps left out, the
 * unowned listed once), the deadline, the measure with the authority's changes, the
 * states and their conflicts, overdue, and the Chinese words of a notice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "intel/disposal.h"

#define HOUR INT64_C(3600000)
/* 2026-06-01T00:00:00Z, 08:00 in Beijing. */
static const int64_t T0 = INT64_C(1780272000000);

static const struct intel_owned ranges[] = {
    {1, "203.0.113.0/24"},
    {2, "203.0.113.128/25"},
    {4, "2001:db8:1::/48"},
};
static const struct intel_owned domains[] = {
    {1, "example.cn"},
    {3, "gov.cn"},
};

static const struct threat_indicator inds[] = {
    {INTEL_IPV4, "203.0.113.200", THREAT_ROLE_C2, NULL},
    {INTEL_DOMAIN, "cnc.example.cn", THREAT_ROLE_C2, NULL},
    {INTEL_CC, "[2001:db8:1::5]:443/tcp", THREAT_ROLE_C2, NULL},
    {INTEL_CC, "cnc.example.cn:8080", THREAT_ROLE_C2, NULL},
    {INTEL_SHA256, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
     THREAT_ROLE_SAMPLE, NULL},
    {INTEL_APP, "com.example.fake", THREAT_ROLE_APP, NULL},
    {INTEL_EMAIL, "office@city.gov.cn", THREAT_ROLE_VICTIM, NULL},
    {INTEL_URL, "http://evil.example.org/x", THREAT_ROLE_MALICIOUS, NULL},
};

static const struct threat_tuple tuples[] = {
    {"203.0.113.5", "198.51.100.7", 49152, 443, "tcp", 0, 0, 3},
    {"203.0.113.200", "203.0.113.5", 50000, 8443, "tcp", 0, 0, 1},
    {"203.0.113.5", "198.51.100.7", 49153, 443, "tcp", 0, 0, 9},
    {"198.51.100.9", "198.51.100.7", -1, -1, "icmp", 0, 0, 1},
};

static void test_roles(void **state)
{
    (void)state;
    assert_string_equal(disposal_role_name_zh("c2"), "控制端");
    assert_string_equal(disposal_role_name_zh("src_ip"), "源IP");
    assert_string_equal(disposal_role_name_zh("dst_ip"), "目的IP");
    assert_string_equal(disposal_role_name_zh("nope"), "未知");
    assert_string_equal(disposal_role_name_zh(NULL), "未知");
    assert_true(disposal_role_ok("victim"));
    assert_false(disposal_role_ok("owner"));
}

/* "value/role" joined by spaces. */
static const char *values_str(const struct disposal_value *v, size_t n)
{
    static char out[1024];
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, sizeof out - len, "%s%s/%s", i ? " " : "", v[i].value,
                                v[i].role);
    return out;
}

static void test_plan(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct disposal_plan p;
    struct yj_error e = {0};
    assert_int_equal(disposal_plan_build(inds, YJ_ARRAY_LEN(inds), tuples, YJ_ARRAY_LEN(tuples),
                                         ranges, YJ_ARRAY_LEN(ranges), domains,
                                         YJ_ARRAY_LEN(domains), &a, &p, &e),
                     YJ_OK);
    assert_int_equal(p.n_owners, 4);
    /* By id; the /25 is more specific than the /24 for .200. */
    assert_int_equal(p.owners[0].constituent_id, 1);
    assert_string_equal(values_str(p.owners[0].values, p.owners[0].n_values),
                        "cnc.example.cn/c2 cnc.example.cn:8080/c2 203.0.113.5/src_ip "
                        "203.0.113.5/dst_ip");
    assert_int_equal(p.owners[0].n_tuples, 3);
    assert_int_equal(p.owners[0].tuples[0], 0);
    assert_int_equal(p.owners[0].tuples[1], 1);
    assert_int_equal(p.owners[0].tuples[2], 2);
    assert_int_equal(p.owners[1].constituent_id, 2);
    assert_string_equal(values_str(p.owners[1].values, p.owners[1].n_values),
                        "203.0.113.200/c2 203.0.113.200/src_ip");
    assert_int_equal(p.owners[1].n_tuples, 1);
    assert_int_equal(p.owners[1].tuples[0], 1);
    assert_int_equal(p.owners[1].values[0].type, INTEL_IPV4);
    /* An e-mail address by its domain; a C&C endpoint by its IPv6 host. */
    assert_int_equal(p.owners[2].constituent_id, 3);
    assert_string_equal(values_str(p.owners[2].values, p.owners[2].n_values),
                        "office@city.gov.cn/victim");
    assert_int_equal(p.owners[2].n_tuples, 0);
    assert_int_equal(p.owners[3].constituent_id, 4);
    assert_string_equal(values_str(p.owners[3].values, p.owners[3].n_values),
                        "[2001:db8:1::5]:443/tcp/c2");
    /* Nobody's, each once; the hash and the app are neither. */
    assert_string_equal(values_str(p.unowned, p.n_unowned),
                        "http://evil.example.org/x/malicious 198.51.100.7/dst_ip "
                        "198.51.100.9/src_ip");
    assert_non_null(disposal_plan_find(&p, 3));
    assert_null(disposal_plan_find(&p, 9));

    /* Nothing owned anywhere: no owners, everything unowned. */
    assert_int_equal(disposal_plan_build(inds, 2, tuples, 1, NULL, 0, NULL, 0, &a, &p, &e), YJ_OK);
    assert_int_equal(p.n_owners, 0);
    assert_int_equal(p.n_unowned, 4);
    /* An empty report. */
    assert_int_equal(disposal_plan_build(NULL, 0, NULL, 0, ranges, 1, domains, 1, &a, &p, &e),
                     YJ_OK);
    assert_int_equal(p.n_owners + p.n_unowned, 0);
    yj_arena_release(&a);

    /* An exhausted arena is YJ_ENOMEM, not a wrong plan. */
    yj_arena_init(&a, 64);
    assert_int_equal(disposal_plan_build(inds, YJ_ARRAY_LEN(inds), tuples, YJ_ARRAY_LEN(tuples),
                                         ranges, YJ_ARRAY_LEN(ranges), domains,
                                         YJ_ARRAY_LEN(domains), &a, &p, &e),
                     YJ_ENOMEM);
    yj_arena_release(&a);
}

static void test_deadline(void **state)
{
    (void)state;
    struct yj_error e = {0};
    int64_t d = 0;
    assert_int_equal(disposal_deadline(T0, 0, 0, &d, &e), YJ_OK);
    assert_true(d == T0 + 24 * HOUR);
    assert_int_equal(disposal_deadline(T0, 0, 72, &d, &e), YJ_OK);
    assert_true(d == T0 + 72 * HOUR);
    assert_int_equal(disposal_deadline(T0, T0 + 5 * HOUR, 0, &d, &e), YJ_OK);
    assert_true(d == T0 + 5 * HOUR);
    assert_int_equal(disposal_deadline(T0, T0 + 5 * HOUR, 3, &d, &e), YJ_EINVAL);
    assert_string_equal(e.field, "deadline_at");
    assert_int_equal(disposal_deadline(T0, T0, 0, &d, &e), YJ_EINVAL);
    assert_string_equal(e.field, "deadline_at");
    assert_int_equal(disposal_deadline(T0, T0 + 31 * 24 * HOUR, 0, &d, &e), YJ_EINVAL);
    assert_string_equal(e.field, "deadline_at");
    assert_int_equal(disposal_deadline(T0, T0 + 30 * 24 * HOUR, 0, &d, &e), YJ_OK);
    assert_int_equal(disposal_deadline(T0, 0, -1, &d, &e), YJ_EINVAL);
    assert_string_equal(e.field, "deadline_hours");
    assert_int_equal(disposal_deadline(T0, 0, DISPOSAL_HOURS_MAX + 1, &d, &e), YJ_EINVAL);
    assert_string_equal(e.field, "deadline_hours");
}

static void test_measure(void **state)
{
    (void)state;
    struct yj_error e = {0};
    struct threat_disposal out, botnet;
    threat_disposal_default(INTEL_CAT_BOTNET, &botnet);
    assert_int_equal(botnet.measure, THREAT_M_BLOCK_RESOURCE);
    /* Nothing changed: the report's suggestion. */
    struct disposal_override o = {0};
    assert_int_equal(disposal_measure(&botnet, &o, &out, &e), YJ_OK);
    assert_int_equal(out.measure, botnet.measure);
    assert_int_equal(out.blocks, botnet.blocks);
    /* Another measure drops the blocks and words it does not give. */
    o = (struct disposal_override){.has_measure = true, .measure = THREAT_M_REMOVE_MALWARE};
    assert_int_equal(disposal_measure(&botnet, &o, &out, &e), YJ_OK);
    assert_int_equal(out.measure, THREAT_M_REMOVE_MALWARE);
    assert_int_equal(out.blocks, 0);
    assert_null(out.text);
    /* Only the blocks. */
    o = (struct disposal_override){.has_blocks = true, .blocks = 1u << THREAT_B_URL};
    assert_int_equal(disposal_measure(&botnet, &o, &out, &e), YJ_OK);
    assert_int_equal(out.blocks, 1u << THREAT_B_URL);
    assert_string_equal(out.text, botnet.text);
    /* Errors name the body's own fields. */
    o = (struct disposal_override){.has_blocks = true, .blocks = 0};
    assert_int_equal(disposal_measure(&botnet, &o, &out, &e), YJ_EINVAL);
    assert_string_equal(e.field, "blocks");
    o = (struct disposal_override){.has_measure = true, .measure = THREAT_M_OTHER};
    assert_int_equal(disposal_measure(&botnet, &o, &out, &e), YJ_EINVAL);
    assert_string_equal(e.field, "text");
    o.has_text = true;
    o.text = "断开受控主机网络连接";
    assert_int_equal(disposal_measure(&botnet, &o, &out, &e), YJ_OK);
}

static void test_states(void **state)
{
    (void)state;
    struct yj_error e = {0};
    enum disposal_status s, to;
    for (int i = 0; i < DISPOSAL_STATUS__COUNT; i++) {
        assert_int_equal(disposal_status_parse(disposal_status_code((enum disposal_status)i), &s),
                         0);
        assert_int_equal(s, i);
    }
    assert_int_equal(disposal_status_parse("overdue", &s), -1);
    assert_int_equal(disposal_status_parse(NULL, &s), -1);
    assert_string_equal(disposal_status_name_zh(DISPOSAL_HANDLED), "已处置");
    assert_string_equal(disposal_status_code(DISPOSAL_STATUS__COUNT), "unknown");

    assert_int_equal(disposal_step_apply(DISPOSAL_SENT, DISPOSAL_STEP_ACKNOWLEDGE, &to, &e), YJ_OK);
    assert_int_equal(to, DISPOSAL_ACKNOWLEDGED);
    assert_int_equal(disposal_step_apply(DISPOSAL_ACKNOWLEDGED, DISPOSAL_STEP_ACKNOWLEDGE, &to, &e),
                     YJ_ECONFLICT);
    assert_string_equal(e.field, "status");
    assert_int_equal(disposal_step_apply(DISPOSAL_SENT, DISPOSAL_STEP_HANDLE, &to, &e), YJ_OK);
    assert_int_equal(to, DISPOSAL_HANDLED);
    assert_int_equal(disposal_step_apply(DISPOSAL_ACKNOWLEDGED, DISPOSAL_STEP_HANDLE, &to, &e),
                     YJ_OK);
    assert_int_equal(to, DISPOSAL_HANDLED);
    assert_int_equal(disposal_step_apply(DISPOSAL_ACKNOWLEDGED, DISPOSAL_STEP_RESEND, &to, &e),
                     YJ_OK);
    assert_int_equal(to, DISPOSAL_ACKNOWLEDGED);
    for (int step = DISPOSAL_STEP_ACKNOWLEDGE; step <= DISPOSAL_STEP_RESEND; step++) {
        assert_int_equal(disposal_step_apply(DISPOSAL_HANDLED, (enum disposal_step)step, &to, &e),
                         YJ_ECONFLICT);
        assert_string_equal(e.field, "status");
    }

    int64_t deadline = T0 + HOUR, ms;
    assert_false(disposal_overdue_due(DISPOSAL_SENT, 0, deadline, deadline - 1));
    assert_true(disposal_overdue_due(DISPOSAL_SENT, 0, deadline, deadline));
    assert_true(disposal_overdue_due(DISPOSAL_ACKNOWLEDGED, 0, deadline, deadline + 1));
    assert_false(disposal_overdue_due(DISPOSAL_HANDLED, 0, deadline, deadline));
    assert_false(disposal_overdue_due(DISPOSAL_SENT, deadline, deadline, deadline)); /* once */
    assert_true(disposal_remaining(DISPOSAL_SENT, deadline, T0, &ms));
    assert_true(ms == HOUR);
    assert_true(disposal_remaining(DISPOSAL_ACKNOWLEDGED, deadline, deadline + 5, &ms));
    assert_true(ms == -5);
    assert_false(disposal_remaining(DISPOSAL_HANDLED, deadline, T0, &ms));
    assert_true(ms == 0);
}

static void test_compose(void **state)
{
    (void)state;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    struct yj_error e = {0};
    struct threat_disposal m;
    threat_disposal_default(INTEL_CAT_BOTNET, &m);
    struct disposal_value vals[] = {{INTEL_IPV4, "203.0.113.200", "c2"},
                                    {INTEL_IPV4, "203.0.113.5", "src_ip"}};
    struct threat_tuple tup[] = {
        {"203.0.113.5", "198.51.100.7", 49152, 443, "tcp", T0 - 6 * HOUR, T0 - HOUR, 37},
        {"2001:db8::1", "2001:db8::2", -1, -1, "icmp", 0, 0, 1}};
    struct disposal_facts f = {"某云平台",
                               "operator",
                               "辖区内 Mirai 变种僵尸网络活动",
                               INTEL_CAT_BOTNET,
                               vals,
                               2,
                               tup,
                               2,
                               &m,
                               T0 + 24 * HOUR};
    const char *subject, *text;
    assert_int_equal(disposal_compose(&f, &a, &subject, &text, &e), YJ_OK);
    assert_string_equal(
        subject,
        "【网络安全威胁处置通知】辖区内 Mirai 变种僵尸网络活动（请于06月02日08:00前处置）");
    assert_non_null(strstr(text, "某云平台："));
    assert_non_null(strstr(text, "威胁类别：僵尸网络、木马、蠕虫"));
    assert_non_null(strstr(text, "1. 203.0.113.200（IPv4地址，控制端）"));
    assert_non_null(strstr(text, "2. 203.0.113.5（IPv4地址，源IP）"));
    assert_non_null(strstr(text, "1. 源 203.0.113.5:49152 → 目的 198.51.100.7:443，协议 TCP，"
                                 "首次发现 2026年06月01日 02:00，最后发现 2026年06月01日 07:00，"
                                 "共 37 次"));
    assert_non_null(strstr(text, "2. 源 2001:db8::1 → 目的 2001:db8::2，协议 ICMP，共 1 次"));
    assert_non_null(strstr(text, "处置措施：封堵资源（"));
    assert_non_null(strstr(text, "处置时限：请于 2026年06月02日 08:00（北京时间）前完成处置"));
    assert_null(strstr(text, "网信部门"));
    /* Government and CII owners: their superior body and the cyberspace office. */
    f.constituent_kind = "government";
    assert_int_equal(disposal_compose(&f, &a, &subject, &text, &e), YJ_OK);
    assert_non_null(strstr(text, "贵单位属于党政机关"));
    assert_non_null(strstr(text, "上级主管部门和网信部门"));
    f.constituent_kind = "cii";
    assert_int_equal(disposal_compose(&f, &a, &subject, &text, &e), YJ_OK);
    assert_non_null(strstr(text, "关键信息基础设施运营者"));
    assert_true(disposal_kind_escalates("cii") && disposal_kind_escalates("government"));
    assert_false(disposal_kind_escalates("platform") || disposal_kind_escalates(NULL));

    /* A long title is cut in the subject; long lists are counted, not written out. */
    char title[700];
    for (int i = 0; i < 200; i++)
        memcpy(title + 3 * i, "长", 3);
    title[600] = '\0';
    f.report_title = title;
    struct disposal_value many[150];
    for (int i = 0; i < 150; i++)
        many[i] = (struct disposal_value){INTEL_IPV4, "203.0.113.9", "dst_ip"};
    f.values = many;
    f.n_values = 150;
    assert_int_equal(disposal_compose(&f, &a, &subject, &text, &e), YJ_OK);
    assert_true(yj_utf8_chars(subject) <= 200);
    assert_non_null(strstr(subject, "…"));
    /* At most DISPOSAL_TEXT_VALUES_MAX, fewer when their bytes run over the budget. */
    assert_non_null(
        strstr(text, "\n70. 203.0.113.9（IPv4地址，目的IP）\n（另有 80 项未列出，详见通知页面）"));
    assert_true(yj_utf8_chars(text) < 20000);

    const char *os, *ot;
    disposal_compose_overdue("某云平台", "辖区内 Mirai 变种僵尸网络活动", T0, &a, &os, &ot);
    assert_string_equal(os, "【处置超期】某云平台未在时限内反馈处置结果：辖区内 Mirai "
                            "变种僵尸网络活动");
    assert_non_null(strstr(ot, "处置时限：2026年06月01日 08:00（北京时间）"));
    assert_string_equal(disposal_time_zh(T0 + 90 * 60 * 1000, &a), "2026年06月01日 09:30");
    yj_arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),    cmocka_unit_test(test_plan),
        cmocka_unit_test(test_deadline), cmocka_unit_test(test_measure),
        cmocka_unit_test(test_states),   cmocka_unit_test(test_compose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

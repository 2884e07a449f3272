/*
 * test_threats.c - rules of threat reports and early warnings: the vocabularies,
 * the suggestion pre-filled per category and the check of a suggestion, which
 * indicator types fit which role, five-tuples (addresses, ports by protocol,
 * times, counts), what submitting needs, review decisions of both kinds of
 * report, and CVE / CNVD / CNNVD ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/yj.h"
#include "intel/threats.h"

static struct yj_arena the_arena;
static struct yj_arena *const arena = &the_arena;

static int setup(void **state)
{
    (void)state;
    yj_arena_init(arena, 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    yj_arena_release(arena);
    return 0;
}

#define ASSERT_FIELD(rc, want_code, e, want_field)                                                 \
    do {                                                                                           \
        assert_int_equal((rc), (want_code));                                                       \
        assert_string_equal((e).field, (want_field));                                              \
    } while (0)

/* ---- vocabularies ---- */

static void test_vocabularies(void **state)
{
    (void)state;
    static const char *const measures[] = {"stop_service", "block_resource", "remove_malware",
                                           "order_fix", "other"};
    assert_int_equal(YJ_ARRAY_LEN(measures), THREAT_M__COUNT);
    for (int i = 0; i < THREAT_M__COUNT; i++) {
        enum threat_measure m = THREAT_M_OTHER;
        assert_string_equal(threat_measure_code((enum threat_measure)i), measures[i]);
        assert_int_equal(threat_measure_parse(measures[i], &m), 0);
        assert_int_equal(m, i);
    }
    assert_string_equal(threat_measure_name_zh(THREAT_M_BLOCK_RESOURCE), "封堵资源");
    assert_string_equal(threat_measure_name_zh(THREAT_M_ORDER_FIX), "责令整改");
    assert_string_equal(threat_measure_code(THREAT_M__COUNT), "unknown");
    assert_string_equal(threat_measure_name_zh(THREAT_M__COUNT), "未知");

    static const char *const blocks[] = {"domain_resolution", "ip", "url", "account", "number"};
    assert_int_equal(YJ_ARRAY_LEN(blocks), THREAT_B__COUNT);
    for (int i = 0; i < THREAT_B__COUNT; i++) {
        enum threat_block b = THREAT_B_IP;
        assert_string_equal(threat_block_code((enum threat_block)i), blocks[i]);
        assert_int_equal(threat_block_parse(blocks[i], &b), 0);
        assert_int_equal(b, i);
    }
    assert_string_equal(threat_block_name_zh(THREAT_B_DOMAIN_RESOLUTION), "暂停域名解析");

    static const char *const roles[] = {"c2", "victim", "malicious", "sample", "app"};
    for (int i = 0; i < THREAT_ROLE__COUNT; i++) {
        enum threat_role r = THREAT_ROLE_APP;
        assert_string_equal(threat_role_code((enum threat_role)i), roles[i]);
        assert_int_equal(threat_role_parse(roles[i], &r), 0);
        assert_int_equal(r, i);
    }
    assert_string_equal(threat_role_name_zh(THREAT_ROLE_C2), "控制端");

    static const char *const statuses[] = {"draft",    "submitted",          "returned",
                                           "accepted", "rejected_duplicate", "rejected_unfounded"};
    assert_int_equal(YJ_ARRAY_LEN(statuses), THREAT_STATUS__COUNT);
    for (int i = 0; i < THREAT_STATUS__COUNT; i++) {
        enum threat_status s = THREAT_DRAFT;
        assert_string_equal(threat_status_code((enum threat_status)i), statuses[i]);
        assert_int_equal(threat_status_parse(statuses[i], &s), 0);
        assert_int_equal(s, i);
        assert_int_equal(threat_status_editable(s), s == THREAT_DRAFT || s == THREAT_RETURNED);
    }
    assert_string_equal(threat_status_name_zh(THREAT_ACCEPTED), "已采纳");

    static const char *const colours[] = {"red", "orange", "yellow", "blue"};
    static const char *const colours_zh[] = {"红色", "橙色", "黄色", "蓝色"};
    for (int i = 0; i < WARN_COLOUR__COUNT; i++) {
        enum warn_colour c = WARN_BLUE;
        assert_string_equal(warn_colour_code((enum warn_colour)i), colours[i]);
        assert_string_equal(warn_colour_name_zh((enum warn_colour)i), colours_zh[i]);
        assert_int_equal(warn_colour_parse(colours[i], &c), 0);
        assert_int_equal(c, i);
    }
    static const char *const wstatuses[] = {"draft", "submitted", "returned", "published",
                                            "rejected"};
    for (int i = 0; i < WARN_STATUS__COUNT; i++) {
        enum warn_status s = WARN_DRAFT;
        assert_string_equal(warn_status_code((enum warn_status)i), wstatuses[i]);
        assert_int_equal(warn_status_parse(wstatuses[i], &s), 0);
        assert_int_equal(warn_status_editable(s), s == WARN_DRAFT || s == WARN_RETURNED);
    }
    assert_string_equal(warn_status_name_zh(WARN_PUBLISHED), "已发布");
    static const char *const decisions[] = {"accept", "return", "reject_duplicate",
                                            "reject_unfounded"};
    for (int i = 0; i < THREAT_D__COUNT; i++) {
        enum threat_decision d = THREAT_D_ACCEPT;
        assert_string_equal(threat_decision_code((enum threat_decision)i), decisions[i]);
        assert_int_equal(threat_decision_parse(decisions[i], &d), 0);
        assert_int_equal(d, i);
    }
    static const char *const wdecisions[] = {"publish", "return", "reject"};
    for (int i = 0; i < WARN_D__COUNT; i++) {
        enum warn_decision d = WARN_D_PUBLISH;
        assert_string_equal(warn_decision_code((enum warn_decision)i), wdecisions[i]);
        assert_int_equal(warn_decision_parse(wdecisions[i], &d), 0);
        assert_int_equal(d, i);
    }

    /* Unknown codes leave the output alone. */
    const char *bad[] = {"Accept", "", "block", "red ", NULL};
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        enum threat_measure m = THREAT_M_OTHER;
        enum threat_decision d = THREAT_D_RETURN;
        enum warn_colour c = WARN_YELLOW;
        assert_int_equal(threat_measure_parse(bad[i], &m), -1);
        assert_int_equal(threat_decision_parse(bad[i], &d), -1);
        assert_int_equal(warn_colour_parse(bad[i], &c), -1);
        assert_int_equal(m, THREAT_M_OTHER);
        assert_int_equal(d, THREAT_D_RETURN);
        assert_int_equal(c, WARN_YELLOW);
    }
}

/* ---- disposal ---- */

static void test_disposal_defaults(void **state)
{
    (void)state;
    static const struct {
        enum intel_category c;
        enum threat_measure m;
        unsigned blocks;
    } want[] = {
        {INTEL_CAT_MALICIOUS_IP, THREAT_M_BLOCK_RESOURCE, 1u << THREAT_B_IP},
        {INTEL_CAT_MALICIOUS_DOMAIN, THREAT_M_BLOCK_RESOURCE, 1u << THREAT_B_DOMAIN_RESOLUTION},
        {INTEL_CAT_MALICIOUS_URL, THREAT_M_BLOCK_RESOURCE, 1u << THREAT_B_URL},
        {INTEL_CAT_MALICIOUS_MESSAGE, THREAT_M_BLOCK_RESOURCE,
         (1u << THREAT_B_ACCOUNT) | (1u << THREAT_B_NUMBER)},
        {INTEL_CAT_MALWARE, THREAT_M_REMOVE_MALWARE, 0},
        {INTEL_CAT_BOTNET, THREAT_M_BLOCK_RESOURCE,
         (1u << THREAT_B_IP) | (1u << THREAT_B_DOMAIN_RESOLUTION)},
        {INTEL_CAT_PHISHING, THREAT_M_BLOCK_RESOURCE,
         (1u << THREAT_B_DOMAIN_RESOLUTION) | (1u << THREAT_B_URL)},
        {INTEL_CAT_HAZARD, THREAT_M_ORDER_FIX, 0},
        {INTEL_CAT_EVENT, THREAT_M_ORDER_FIX, 0},
        {INTEL_CAT_OTHER, THREAT_M_OTHER, 0},
    };
    assert_int_equal(YJ_ARRAY_LEN(want), INTEL_CAT__COUNT);
    for (size_t i = 0; i < YJ_ARRAY_LEN(want); i++) {
        struct threat_disposal d;
        struct yj_error e;
        threat_disposal_default(want[i].c, &d);
        assert_int_equal(d.measure, want[i].m);
        assert_int_equal(d.blocks, want[i].blocks);
        assert_non_null(d.text);
        assert_true(strlen(d.text) > 0);
        /* Every default passes its own check. */
        assert_int_equal(threat_disposal_check(&d, &e), YJ_OK);
    }
    /* Out of range: other. */
    struct threat_disposal d;
    threat_disposal_default(INTEL_CAT__COUNT, &d);
    assert_int_equal(d.measure, THREAT_M_OTHER);
}

static void test_disposal_check(void **state)
{
    (void)state;
    struct yj_error e;
    struct threat_disposal d = {THREAT_M_BLOCK_RESOURCE, 0, NULL};
    ASSERT_FIELD(threat_disposal_check(&d, &e), YJ_EINVAL, e, "disposal.blocks");
    d.blocks = 1u << THREAT_B_URL;
    assert_int_equal(threat_disposal_check(&d, &e), YJ_OK); /* a text is optional */
    d.blocks = 1u << THREAT_B__COUNT;
    ASSERT_FIELD(threat_disposal_check(&d, &e), YJ_EINVAL, e, "disposal.blocks");
    d = (struct threat_disposal){THREAT_M_REMOVE_MALWARE, 1u << THREAT_B_IP, "清除"};
    ASSERT_FIELD(threat_disposal_check(&d, &e), YJ_EINVAL, e, "disposal.blocks");
    d = (struct threat_disposal){THREAT_M_OTHER, 0, " \n"};
    ASSERT_FIELD(threat_disposal_check(&d, &e), YJ_EINVAL, e, "disposal.text");
    d.text = "下发安全提示";
    assert_int_equal(threat_disposal_check(&d, &e), YJ_OK);
    d.measure = THREAT_M__COUNT;
    ASSERT_FIELD(threat_disposal_check(&d, &e), YJ_EINVAL, e, "disposal.measure");
}

/* ---- indicators ---- */

static void test_roles_fit(void **state)
{
    (void)state;
    assert_true(threat_role_fits(THREAT_ROLE_C2, INTEL_IPV4));
    assert_true(threat_role_fits(THREAT_ROLE_C2, INTEL_CC));
    assert_true(threat_role_fits(THREAT_ROLE_C2, INTEL_DOMAIN));
    assert_false(threat_role_fits(THREAT_ROLE_C2, INTEL_CIDR4));
    assert_false(threat_role_fits(THREAT_ROLE_C2, INTEL_SHA256));
    assert_true(threat_role_fits(THREAT_ROLE_VICTIM, INTEL_CIDR6));
    assert_true(threat_role_fits(THREAT_ROLE_VICTIM, INTEL_EMAIL));
    assert_false(threat_role_fits(THREAT_ROLE_VICTIM, INTEL_CC));
    assert_true(threat_role_fits(THREAT_ROLE_MALICIOUS, INTEL_URL));
    assert_false(threat_role_fits(THREAT_ROLE_MALICIOUS, INTEL_MD5));
    for (int t = INTEL_MD5; t <= INTEL_SM3; t++)
        assert_true(threat_role_fits(THREAT_ROLE_SAMPLE, (enum intel_type)t));
    assert_false(threat_role_fits(THREAT_ROLE_SAMPLE, INTEL_APP));
    assert_true(threat_role_fits(THREAT_ROLE_APP, INTEL_APP));
    assert_false(threat_role_fits(THREAT_ROLE_APP, INTEL_DOMAIN));
    assert_false(threat_role_fits(THREAT_ROLE__COUNT, INTEL_IPV4));
    assert_false(threat_role_fits(THREAT_ROLE_C2, INTEL_TYPE__COUNT));
}

static void test_indicator_parse(void **state)
{
    (void)state;
    struct threat_indicator ind;
    struct yj_error e;
    assert_int_equal(threat_indicator_parse("domain", "EVIL.Example.COM", "c2", arena, &ind, &e),
                     YJ_OK);
    assert_int_equal(ind.type, INTEL_DOMAIN);
    assert_string_equal(ind.value, "evil.example.com");
    assert_int_equal(ind.role, THREAT_ROLE_C2);
    assert_int_equal(
        threat_indicator_parse("sha256",
                               "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
                               "sample", arena, &ind, &e),
        YJ_OK);
    assert_string_equal(ind.value,
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ASSERT_FIELD(threat_indicator_parse("ipv5", "1.2.3.4", "c2", arena, &ind, &e), YJ_EINVAL, e,
                 "type");
    ASSERT_FIELD(threat_indicator_parse("ipv4", "1.2.3.999", "c2", arena, &ind, &e), YJ_EINVAL, e,
                 "value");
    ASSERT_FIELD(threat_indicator_parse("md5", "abc", "sample", arena, &ind, &e), YJ_EINVAL, e,
                 "value");
    ASSERT_FIELD(threat_indicator_parse("ipv4", "203.0.113.9", "boss", arena, &ind, &e), YJ_EINVAL,
                 e, "role");
    ASSERT_FIELD(threat_indicator_parse("ipv4", "203.0.113.9", "sample", arena, &ind, &e),
                 YJ_EINVAL, e, "role");
    ASSERT_FIELD(threat_indicator_parse(NULL, "x", "c2", arena, &ind, &e), YJ_EINVAL, e, "type");
    ASSERT_FIELD(threat_indicator_parse("ipv4", NULL, "c2", arena, &ind, &e), YJ_EINVAL, e,
                 "value");
    ASSERT_FIELD(threat_indicator_parse("ipv4", "203.0.113.9", NULL, arena, &ind, &e), YJ_EINVAL, e,
                 "role");
}

/* ---- five-tuples ---- */

static const int64_t NOW = INT64_C(1780272000000);

static struct threat_tuple tuple(const char *src, int sport, const char *dst, int dport,
                                 const char *proto)
{
    return (struct threat_tuple){src, dst, sport, dport, proto, NOW - 3600000, NOW - 60000, 12};
}

static void test_tuple_check(void **state)
{
    (void)state;
    struct yj_error e;
    struct threat_tuple t = tuple("10.0.0.5", 49152, "203.0.113.7", 443, "tcp");
    assert_int_equal(threat_tuple_check(&t, NOW, arena, &e), YJ_OK);
    assert_string_equal(t.dst_ip, "203.0.113.7");
    t = tuple("2001:DB8:0:0::5", 5353, "2001:db8::7", 53, "udp");
    assert_int_equal(threat_tuple_check(&t, NOW, arena, &e), YJ_OK);
    assert_string_equal(t.src_ip, "2001:db8::5");
    t = tuple("10.0.0.5", -1, "203.0.113.7", -1, "icmp");
    assert_int_equal(threat_tuple_check(&t, NOW, arena, &e), YJ_OK);
    t = tuple("10.0.0.5", -1, "203.0.113.7", -1, "other");
    assert_int_equal(threat_tuple_check(&t, NOW, arena, &e), YJ_OK);
    t = tuple("10.0.0.5", 1, "203.0.113.7", 65535, "other");
    assert_int_equal(threat_tuple_check(&t, NOW, arena, &e), YJ_OK);
    t = tuple("10.0.0.5", 49152, "203.0.113.7", 443, "tcp");
    t.first_seen = t.last_seen = 0; /* times are optional */
    assert_int_equal(threat_tuple_check(&t, NOW, arena, &e), YJ_OK);

    t = tuple("10.0.0.256", 1, "203.0.113.7", 443, "tcp");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "src_ip");
    t = tuple(NULL, 1, "203.0.113.7", 443, "tcp");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "src_ip");
    t = tuple("10.0.0.5", 1, "evil.example.com", 443, "tcp");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "dst_ip");
    t = tuple("10.0.0.5", 1, "2001:db8::7", 443, "tcp");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "dst_ip");
    t = tuple("10.0.0.5", 1, "203.0.113.7", 443, "TCP");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "protocol");
    t = tuple("10.0.0.5", 1, "203.0.113.7", 443, NULL);
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "protocol");
    t = tuple("10.0.0.5", -1, "203.0.113.7", 443, "tcp");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "src_port");
    t = tuple("10.0.0.5", 1, "203.0.113.7", -1, "udp");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "dst_port");
    t = tuple("10.0.0.5", 1, "203.0.113.7", 65536, "tcp");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "dst_port");
    t = tuple("10.0.0.5", 0, "203.0.113.7", 80, "tcp");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "src_port");
    t = tuple("10.0.0.5", -1, "203.0.113.7", 8, "icmp");
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "dst_port");
    t = tuple("10.0.0.5", 1, "203.0.113.7", 443, "tcp");
    t.last_seen = t.first_seen - 1;
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "last_seen");
    t = tuple("10.0.0.5", 1, "203.0.113.7", 443, "tcp");
    t.first_seen = NOW + 1;
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "first_seen");
    t = tuple("10.0.0.5", 1, "203.0.113.7", 443, "tcp");
    t.first_seen = 0;
    t.last_seen = NOW + 1;
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "last_seen");
    t = tuple("10.0.0.5", 1, "203.0.113.7", 443, "tcp");
    t.count = 0;
    ASSERT_FIELD(threat_tuple_check(&t, NOW, arena, &e), YJ_EINVAL, e, "count");
    assert_false(threat_protocol_ok(NULL));
    assert_true(threat_protocol_ok("icmp"));
}

/* ---- submitting and reviewing ---- */

static void test_submit_check(void **state)
{
    (void)state;
    struct yj_error e;
    struct threat_facts f = {INTEL_CAT_BOTNET, "僵尸网络", "邮件附件传播", 2, 3, 1};
    assert_int_equal(threat_submit_check(THREAT_DRAFT, &f, &e), YJ_OK);
    assert_int_equal(threat_submit_check(THREAT_RETURNED, &f, &e), YJ_OK);
    for (int s = THREAT_SUBMITTED; s < THREAT_STATUS__COUNT; s++)
        if (s != THREAT_RETURNED)
            ASSERT_FIELD(threat_submit_check((enum threat_status)s, &f, &e), YJ_ECONFLICT, e,
                         "status");
    f.summary = "  ";
    ASSERT_FIELD(threat_submit_check(THREAT_DRAFT, &f, &e), YJ_EINCOMPLETE, e, "summary");
    f.summary = "x";
    f.propagation = NULL;
    ASSERT_FIELD(threat_submit_check(THREAT_DRAFT, &f, &e), YJ_EINCOMPLETE, e, "propagation_path");
    f.propagation = "y";
    f.n_tuples = 0;
    ASSERT_FIELD(threat_submit_check(THREAT_DRAFT, &f, &e), YJ_EINCOMPLETE, e, "five_tuples");
    f.n_tuples = 1;
    f.n_c2 = 0;
    ASSERT_FIELD(threat_submit_check(THREAT_DRAFT, &f, &e), YJ_EINCOMPLETE, e, "indicators");
    /* A phishing report needs no C&C address; a hazard no five-tuple either. */
    f.category = INTEL_CAT_PHISHING;
    assert_int_equal(threat_submit_check(THREAT_DRAFT, &f, &e), YJ_OK);
    f.category = INTEL_CAT_HAZARD;
    f.n_tuples = 0;
    assert_int_equal(threat_submit_check(THREAT_DRAFT, &f, &e), YJ_OK);
    f.n_indicators = 0;
    ASSERT_FIELD(threat_submit_check(THREAT_DRAFT, &f, &e), YJ_EINCOMPLETE, e, "indicators");
    assert_true(threat_category_needs_c2(INTEL_CAT_MALWARE));
    assert_false(threat_category_needs_c2(INTEL_CAT_MALICIOUS_IP));
    assert_true(threat_category_needs_tuples(INTEL_CAT_MALICIOUS_MESSAGE));
    assert_false(threat_category_needs_tuples(INTEL_CAT_EVENT));
    assert_false(threat_category_needs_tuples(INTEL_CAT__COUNT));
}

static void test_review(void **state)
{
    (void)state;
    struct yj_error e;
    enum threat_status to = THREAT_DRAFT;
    assert_int_equal(threat_review(THREAT_SUBMITTED, THREAT_D_ACCEPT, NULL, &to, &e), YJ_OK);
    assert_int_equal(to, THREAT_ACCEPTED);
    assert_int_equal(threat_review(THREAT_SUBMITTED, THREAT_D_RETURN, "补充样本", &to, &e), YJ_OK);
    assert_int_equal(to, THREAT_RETURNED);
    assert_int_equal(
        threat_review(THREAT_SUBMITTED, THREAT_D_REJECT_DUPLICATE, "同 12 号", &to, &e), YJ_OK);
    assert_int_equal(to, THREAT_REJECTED_DUPLICATE);
    assert_int_equal(
        threat_review(THREAT_SUBMITTED, THREAT_D_REJECT_UNFOUNDED, "无法复现", &to, &e), YJ_OK);
    assert_int_equal(to, THREAT_REJECTED_UNFOUNDED);
    to = THREAT_DRAFT;
    ASSERT_FIELD(threat_review(THREAT_SUBMITTED, THREAT_D_RETURN, " ", &to, &e), YJ_EINVAL, e,
                 "comment");
    ASSERT_FIELD(threat_review(THREAT_SUBMITTED, THREAT_D_REJECT_UNFOUNDED, NULL, &to, &e),
                 YJ_EINVAL, e, "comment");
    assert_int_equal(to, THREAT_DRAFT);
    for (int s = 0; s < THREAT_STATUS__COUNT; s++)
        if (s != THREAT_SUBMITTED)
            ASSERT_FIELD(threat_review((enum threat_status)s, THREAT_D_ACCEPT, "x", &to, &e),
                         YJ_ECONFLICT, e, "status");
    ASSERT_FIELD(threat_review(THREAT_SUBMITTED, THREAT_D__COUNT, "x", &to, &e), YJ_EINVAL, e,
                 "decision");
}

static void test_warning_rules(void **state)
{
    (void)state;
    struct yj_error e;
    struct warn_facts f = {NOW, "描述", "原因", "影响", "措施", "分析", true};
    assert_int_equal(warn_submit_check(WARN_DRAFT, &f, &e), YJ_OK);
    assert_int_equal(warn_submit_check(WARN_RETURNED, &f, &e), YJ_OK);
    ASSERT_FIELD(warn_submit_check(WARN_PUBLISHED, &f, &e), YJ_ECONFLICT, e, "status");
    ASSERT_FIELD(warn_submit_check(WARN_SUBMITTED, &f, &e), YJ_ECONFLICT, e, "status");
    ASSERT_FIELD(warn_submit_check(WARN_REJECTED, &f, &e), YJ_ECONFLICT, e, "status");
    static const char *const fields[] = {"event_at",        "description", "cause", "impact",
                                         "countermeasures", "analysis",    "colour"};
    for (size_t i = 0; i < YJ_ARRAY_LEN(fields); i++) {
        struct warn_facts g = f;
        switch (i) {
        case 0:
            g.event_at = 0;
            break;
        case 1:
            g.description = NULL;
            break;
        case 2:
            g.cause = "";
            break;
        case 3:
            g.impact = "\t";
            break;
        case 4:
            g.countermeasures = NULL;
            break;
        case 5:
            g.analysis = NULL;
            break;
        default:
            g.has_colour = false;
            break;
        }
        ASSERT_FIELD(warn_submit_check(WARN_DRAFT, &g, &e), YJ_EINCOMPLETE, e, fields[i]);
    }
    enum warn_status to = WARN_DRAFT;
    assert_int_equal(warn_review(WARN_SUBMITTED, WARN_D_PUBLISH, NULL, &to, &e), YJ_OK);
    assert_int_equal(to, WARN_PUBLISHED);
    assert_int_equal(warn_review(WARN_SUBMITTED, WARN_D_RETURN, "补充影响范围", &to, &e), YJ_OK);
    assert_int_equal(to, WARN_RETURNED);
    assert_int_equal(warn_review(WARN_SUBMITTED, WARN_D_REJECT, "已有通报", &to, &e), YJ_OK);
    assert_int_equal(to, WARN_REJECTED);
    ASSERT_FIELD(warn_review(WARN_SUBMITTED, WARN_D_REJECT, "", &to, &e), YJ_EINVAL, e, "comment");
    ASSERT_FIELD(warn_review(WARN_DRAFT, WARN_D_PUBLISH, NULL, &to, &e), YJ_ECONFLICT, e, "status");
    ASSERT_FIELD(warn_review(WARN_PUBLISHED, WARN_D_PUBLISH, NULL, &to, &e), YJ_ECONFLICT, e,
                 "status");
    ASSERT_FIELD(warn_review(WARN_SUBMITTED, WARN_D__COUNT, NULL, &to, &e), YJ_EINVAL, e,
                 "decision");
}

/* ---- vulnerability ids ---- */

static void test_refs(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
        enum warn_ref_kind kind;
    } good[] = {
        {"CVE-2021-44228", "CVE-2021-44228", WARN_REF_CVE},
        {" cve-2014-0160 ", "CVE-2014-0160", WARN_REF_CVE},
        {"CVE-1999-0001", "CVE-1999-0001", WARN_REF_CVE},
        {"CVE-2024-123456", "CVE-2024-123456", WARN_REF_CVE},
        {"CNVD-2021-95914", "CNVD-2021-95914", WARN_REF_CNVD},
        {"cnvd-c-2021-123456", "CNVD-C-2021-123456", WARN_REF_CNVD},
        {"CNNVD-202112-799", "CNNVD-202112-799", WARN_REF_CNNVD},
        {"CNNVD-201907-1234", "CNNVD-201907-1234", WARN_REF_CNNVD},
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(good); i++) {
        char out[WARN_REF_MAX];
        enum warn_ref_kind k = WARN_REF_CNNVD;
        struct yj_error e;
        if (warn_ref_canonical(good[i].in, "references[0]", out, &k, &e) != YJ_OK)
            fail_msg("%s: %s", good[i].in, e.msg);
        assert_string_equal(out, good[i].out);
        assert_int_equal(k, good[i].kind);
    }
    static const char *const bad[] = {
        "CVE-2021-442",                       /* three digits */
        "CVE-2021-044228",                    /* a leading zero beyond four digits */
        "CVE-1998-0001",                      /* before CVE */
        "CVE-21-44228",                       /* two-digit year */
        "CVE-2021-44228x",                    /* trailing text */
        "CVE 2021 44228",                     /* wrong separators */
        "CNVD-2021-9591",                     /* four digits */
        "CNVD-2021-959145",                   /* six digits without C- */
        "CNNVD-202113-799",                   /* month 13 */
        "CNNVD-202100-799",                   /* month 0 */
        "CNNVD-2021-799",                     /* no month */
        "CNNVD-202112-79",                    /* two digits */
        "CNNVD-202112-12345",                 /* five digits */
        "GHSA-jfh8-c2jp-5v3q",                /* another scheme */
        "",                                   /* empty */
        "   ",                                /* blanks */
        "CVE-2021-4422800000000000000000000", /* over the maximum */
    };
    for (size_t i = 0; i < YJ_ARRAY_LEN(bad); i++) {
        char out[WARN_REF_MAX];
        enum warn_ref_kind k;
        struct yj_error e;
        if (warn_ref_canonical(bad[i], "references[3]", out, &k, &e) != YJ_EINVAL)
            fail_msg("accepted %s", bad[i]);
        assert_string_equal(e.field, "references[3]");
    }
    char out[WARN_REF_MAX];
    enum warn_ref_kind k;
    struct yj_error e;
    ASSERT_FIELD(warn_ref_canonical(NULL, "ref", out, &k, &e), YJ_EINVAL, e, "ref");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocabularies),    cmocka_unit_test(test_disposal_defaults),
        cmocka_unit_test(test_disposal_check),  cmocka_unit_test(test_roles_fit),
        cmocka_unit_test(test_indicator_parse), cmocka_unit_test(test_tuple_check),
        cmocka_unit_test(test_submit_check),    cmocka_unit_test(test_review),
        cmocka_unit_test(test_warning_rules),   cmocka_unit_test(test_refs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

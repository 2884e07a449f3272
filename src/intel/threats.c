/*
 * threats.c - rules of threat reports and early warnings: the vocabularies
 * (measures, roles, states, colours), the suggestion pre-filled per category,
 * five-tuple and indicator checks, what submitting needs, review decisions, and
 * vulnerability ids.
 */
#include "intel/threats.h"

#include <ctype.h>

#include "core/yj.h"

/* A code and its Chinese name: the shape of every small vocabulary here. */
struct vocab {
    const char *code, *zh;
};

static int vocab_find(const struct vocab *v, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (v[i].code && strcmp(v[i].code, code) == 0)
            return (int)i;
    return -1;
}

static const char *vocab_code(const struct vocab *v, size_t n, int i)
{
    return i >= 0 && (size_t)i < n ? v[i].code : "unknown";
}

static const char *vocab_zh(const struct vocab *v, size_t n, int i)
{
    return i >= 0 && (size_t)i < n ? v[i].zh : "未知";
}

/* A vocabulary table's code and parse functions. */
#define VOCAB(prefix, type, table, count)                                                          \
    const char *prefix##_code(type x)                                                              \
    {                                                                                              \
        return vocab_code(table, count, (int)x);                                                   \
    }                                                                                              \
    int prefix##_parse(const char *code, type *out)                                                \
    {                                                                                              \
        int i = vocab_find(table, count, code);                                                    \
        if (i < 0)                                                                                 \
            return -1;                                                                             \
        *out = (type)i;                                                                            \
        return 0;                                                                                  \
    }

static const struct vocab measures[THREAT_M__COUNT] = {
    [THREAT_M_STOP_SERVICE] = {"stop_service", "停止服务"},
    [THREAT_M_BLOCK_RESOURCE] = {"block_resource", "封堵资源"},
    [THREAT_M_REMOVE_MALWARE] = {"remove_malware", "清除恶意程序"},
    [THREAT_M_ORDER_FIX] = {"order_fix", "责令整改"},
    [THREAT_M_OTHER] = {"other", "其他技术措施"},
};
VOCAB(threat_measure, enum threat_measure, measures, THREAT_M__COUNT)
const char *threat_measure_name_zh(enum threat_measure m)
{
    return vocab_zh(measures, THREAT_M__COUNT, (int)m);
}

static const struct vocab blocks[THREAT_B__COUNT] = {
    [THREAT_B_DOMAIN_RESOLUTION] = {"domain_resolution", "暂停域名解析"},
    [THREAT_B_IP] = {"ip", "封堵IP"},
    [THREAT_B_URL] = {"url", "封堵URL"},
    [THREAT_B_ACCOUNT] = {"account", "封停账号"},
    [THREAT_B_NUMBER] = {"number", "关停号码"},
};
VOCAB(threat_block, enum threat_block, blocks, THREAT_B__COUNT)
const char *threat_block_name_zh(enum threat_block b)
{
    return vocab_zh(blocks, THREAT_B__COUNT, (int)b);
}

static const struct vocab roles[THREAT_ROLE__COUNT] = {
    [THREAT_ROLE_C2] = {"c2", "控制端"},
    [THREAT_ROLE_VICTIM] = {"victim", "受害端"},
    [THREAT_ROLE_MALICIOUS] = {"malicious", "恶意资源"},
    [THREAT_ROLE_SAMPLE] = {"sample", "样本"},
    [THREAT_ROLE_APP] = {"app", "移动应用"},
};
VOCAB(threat_role, enum threat_role, roles, THREAT_ROLE__COUNT)
const char *threat_role_name_zh(enum threat_role r)
{
    return vocab_zh(roles, THREAT_ROLE__COUNT, (int)r);
}

static const struct vocab statuses[THREAT_STATUS__COUNT] = {
    [THREAT_DRAFT] = {"draft", "草稿"},
    [THREAT_SUBMITTED] = {"submitted", "已提交"},
    [THREAT_RETURNED] = {"returned", "退回补充"},
    [THREAT_ACCEPTED] = {"accepted", "已采纳"},
    [THREAT_REJECTED_DUPLICATE] = {"rejected_duplicate", "重复不采纳"},
    [THREAT_REJECTED_UNFOUNDED] = {"rejected_unfounded", "不实不采纳"},
};
VOCAB(threat_status, enum threat_status, statuses, THREAT_STATUS__COUNT)
const char *threat_status_name_zh(enum threat_status s)
{
    return vocab_zh(statuses, THREAT_STATUS__COUNT, (int)s);
}

static const struct vocab decisions[THREAT_D__COUNT] = {
    [THREAT_D_ACCEPT] = {"accept", "采纳"},
    [THREAT_D_RETURN] = {"return", "退回补充"},
    [THREAT_D_REJECT_DUPLICATE] = {"reject_duplicate", "重复不采纳"},
    [THREAT_D_REJECT_UNFOUNDED] = {"reject_unfounded", "不实不采纳"},
};
VOCAB(threat_decision, enum threat_decision, decisions, THREAT_D__COUNT)

static const struct vocab colours[WARN_COLOUR__COUNT] = {
    [WARN_RED] = {"red", "红色"},
    [WARN_ORANGE] = {"orange", "橙色"},
    [WARN_YELLOW] = {"yellow", "黄色"},
    [WARN_BLUE] = {"blue", "蓝色"},
};
VOCAB(warn_colour, enum warn_colour, colours, WARN_COLOUR__COUNT)
const char *warn_colour_name_zh(enum warn_colour c)
{
    return vocab_zh(colours, WARN_COLOUR__COUNT, (int)c);
}

static const struct vocab warn_statuses[WARN_STATUS__COUNT] = {
    [WARN_DRAFT] = {"draft", "草稿"},           [WARN_SUBMITTED] = {"submitted", "已提交"},
    [WARN_RETURNED] = {"returned", "退回修改"}, [WARN_PUBLISHED] = {"published", "已发布"},
    [WARN_REJECTED] = {"rejected", "不予发布"},
};
VOCAB(warn_status, enum warn_status, warn_statuses, WARN_STATUS__COUNT)
const char *warn_status_name_zh(enum warn_status s)
{
    return vocab_zh(warn_statuses, WARN_STATUS__COUNT, (int)s);
}

static const struct vocab warn_decisions[WARN_D__COUNT] = {
    [WARN_D_PUBLISH] = {"publish", "发布"},
    [WARN_D_RETURN] = {"return", "退回修改"},
    [WARN_D_REJECT] = {"reject", "不予发布"},
};
VOCAB(warn_decision, enum warn_decision, warn_decisions, WARN_D__COUNT)

#undef VOCAB

/* Whether s holds anything but blanks. */
static bool filled(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s))
            return true;
    return false;
}

/* --- disposal ---------------------------------------------------------------------------- */

#define BIT(b) (1u << (b))

void threat_disposal_default(enum intel_category c, struct threat_disposal *out)
{
    static const struct {
        enum threat_measure measure;
        unsigned blocks;
        const char *text;
    } by_category[INTEL_CAT__COUNT] = {
        [INTEL_CAT_MALICIOUS_IP] = {THREAT_M_BLOCK_RESOURCE, BIT(THREAT_B_IP),
                                    "对恶意IP地址实施封堵。"},
        [INTEL_CAT_MALICIOUS_DOMAIN] = {THREAT_M_BLOCK_RESOURCE, BIT(THREAT_B_DOMAIN_RESOLUTION),
                                        "暂停恶意域名解析。"},
        [INTEL_CAT_MALICIOUS_URL] = {THREAT_M_BLOCK_RESOURCE, BIT(THREAT_B_URL),
                                     "对恶意URL实施封堵。"},
        [INTEL_CAT_MALICIOUS_MESSAGE] = {THREAT_M_BLOCK_RESOURCE,
                                         BIT(THREAT_B_ACCOUNT) | BIT(THREAT_B_NUMBER),
                                         "封停发送恶意电子信息的账号、号码。"},
        [INTEL_CAT_MALWARE] = {THREAT_M_REMOVE_MALWARE, 0,
                               "清除受感染主机和终端上的恶意程序，下架恶意应用。"},
        [INTEL_CAT_BOTNET] = {THREAT_M_BLOCK_RESOURCE,
                              BIT(THREAT_B_IP) | BIT(THREAT_B_DOMAIN_RESOLUTION),
                              "封堵控制端IP地址并暂停控制端域名解析，清除受控主机上的恶意程序。"},
        [INTEL_CAT_PHISHING] = {THREAT_M_BLOCK_RESOURCE,
                                BIT(THREAT_B_DOMAIN_RESOLUTION) | BIT(THREAT_B_URL),
                                "暂停钓鱼网站域名解析并封堵其URL。"},
        [INTEL_CAT_HAZARD] = {THREAT_M_ORDER_FIX, 0, "责令相关单位限期修复安全隐患。"},
        [INTEL_CAT_EVENT] = {THREAT_M_ORDER_FIX, 0, "责令相关单位处置安全事件并限期整改。"},
        [INTEL_CAT_OTHER] = {THREAT_M_OTHER, 0, "采取其他必要的技术措施。"},
    };
    unsigned i = (unsigned)c < INTEL_CAT__COUNT ? (unsigned)c : INTEL_CAT_OTHER;
    out->measure = by_category[i].measure;
    out->blocks = by_category[i].blocks;
    out->text = by_category[i].text;
}

enum yj_err threat_disposal_check(const struct threat_disposal *d, struct yj_error *err)
{
    if ((unsigned)d->measure >= THREAT_M__COUNT)
        return yj_error_set(err, YJ_EINVAL, "disposal.measure", "unknown measure");
    if (d->blocks & ~(BIT(THREAT_B__COUNT) - 1))
        return yj_error_set(err, YJ_EINVAL, "disposal.blocks", "unknown resource");
    if (d->measure == THREAT_M_BLOCK_RESOURCE && !d->blocks)
        return yj_error_set(err, YJ_EINVAL, "disposal.blocks",
                            "name what to block: domain_resolution, ip, url, account, number");
    if (d->measure != THREAT_M_BLOCK_RESOURCE && d->blocks)
        return yj_error_set(err, YJ_EINVAL, "disposal.blocks", "only block_resource blocks");
    if (d->measure == THREAT_M_OTHER && !filled(d->text))
        return yj_error_set(err, YJ_EINVAL, "disposal.text", "describe the other measure");
    return YJ_OK;
}

/* --- indicators ------------------------------------------------------------------------------ */

bool threat_role_fits(enum threat_role r, enum intel_type t)
{
    static const unsigned network = BIT(INTEL_IPV4) | BIT(INTEL_IPV6) | BIT(INTEL_CIDR4) |
                                    BIT(INTEL_CIDR6) | BIT(INTEL_DOMAIN) | BIT(INTEL_URL) |
                                    BIT(INTEL_EMAIL) | BIT(INTEL_CC);
    static const unsigned fits[THREAT_ROLE__COUNT] = {
        [THREAT_ROLE_C2] =
            BIT(INTEL_IPV4) | BIT(INTEL_IPV6) | BIT(INTEL_DOMAIN) | BIT(INTEL_URL) | BIT(INTEL_CC),
        [THREAT_ROLE_VICTIM] = network & ~BIT(INTEL_CC),
        [THREAT_ROLE_MALICIOUS] = network,
        [THREAT_ROLE_SAMPLE] =
            BIT(INTEL_MD5) | BIT(INTEL_SHA1) | BIT(INTEL_SHA256) | BIT(INTEL_SM3),
        [THREAT_ROLE_APP] = BIT(INTEL_APP),
    };
    if ((unsigned)r >= THREAT_ROLE__COUNT || (unsigned)t >= INTEL_TYPE__COUNT)
        return false;
    return (fits[r] & BIT(t)) != 0;
}

enum yj_err threat_indicator_parse(const char *type, const char *raw, const char *role,
                                   struct yj_arena *a, struct threat_indicator *out,
                                   struct yj_error *err)
{
    if (!type)
        return yj_error_set(err, YJ_EINVAL, "type", "required");
    if (!raw)
        return yj_error_set(err, YJ_EINVAL, "value", "required");
    if (!role)
        return yj_error_set(err, YJ_EINVAL, "role", "required");
    enum yj_err rc = intel_type_parse(type, "type", &out->type, err);
    if (!rc)
        rc = intel_canonical(out->type, raw, "value", a, &out->value, err);
    if (rc)
        return rc;
    if (threat_role_parse(role, &out->role))
        return yj_error_set(err, YJ_EINVAL, "role", "must be c2, victim, malicious, sample or app");
    if (!threat_role_fits(out->role, out->type))
        return yj_error_set(err, YJ_EINVAL, "role", "a %s indicator cannot be %s",
                            intel_type_code(out->type), threat_role_code(out->role));
    return YJ_OK;
}

/* --- five-tuples ------------------------------------------------------------------------------ */

bool threat_protocol_ok(const char *code)
{
    static const char *const known[] = {"tcp", "udp", "icmp", "other"};
    for (size_t i = 0; code && i < YJ_ARRAY_LEN(known); i++)
        if (strcmp(code, known[i]) == 0)
            return true;
    return false;
}

/* An address as IPv6 when it has a colon, else IPv4; *v6 says which. */
static enum yj_err tuple_ip(const char *raw, const char *field, struct yj_arena *a,
                            const char **out, bool *v6, struct yj_error *err)
{
    if (!raw)
        return yj_error_set(err, YJ_EINVAL, field, "required");
    *v6 = strchr(raw, ':') != NULL;
    return intel_canonical(*v6 ? INTEL_IPV6 : INTEL_IPV4, raw, field, a, out, err);
}

static enum yj_err tuple_port(int port, bool needed, bool allowed, const char *field,
                              struct yj_error *err)
{
    if (port < 0)
        return needed ? yj_error_set(err, YJ_EINVAL, field, "required for tcp and udp") : YJ_OK;
    if (!allowed)
        return yj_error_set(err, YJ_EINVAL, field, "icmp has no ports");
    if (port < 1 || port > 65535)
        return yj_error_set(err, YJ_EINVAL, field, "must be from 1 to 65535");
    return YJ_OK;
}

enum yj_err threat_tuple_check(struct threat_tuple *t, int64_t now, struct yj_arena *a,
                               struct yj_error *err)
{
    bool src6 = false, dst6 = false;
    enum yj_err rc = tuple_ip(t->src_ip, "src_ip", a, &t->src_ip, &src6, err);
    if (!rc)
        rc = tuple_ip(t->dst_ip, "dst_ip", a, &t->dst_ip, &dst6, err);
    if (!rc && src6 != dst6)
        rc = yj_error_set(err, YJ_EINVAL, "dst_ip", "must be of the same family as src_ip");
    if (rc)
        return rc;
    if (!t->protocol)
        return yj_error_set(err, YJ_EINVAL, "protocol", "required");
    if (!threat_protocol_ok(t->protocol))
        return yj_error_set(err, YJ_EINVAL, "protocol", "must be tcp, udp, icmp or other");
    bool ports = strcmp(t->protocol, "tcp") == 0 || strcmp(t->protocol, "udp") == 0;
    bool icmp = strcmp(t->protocol, "icmp") == 0;
    rc = tuple_port(t->src_port, ports, !icmp, "src_port", err);
    if (!rc)
        rc = tuple_port(t->dst_port, ports, !icmp, "dst_port", err);
    if (rc)
        return rc;
    if (t->first_seen < 0)
        return yj_error_set(err, YJ_EINVAL, "first_seen", "must be a time");
    if (t->first_seen > now)
        return yj_error_set(err, YJ_EINVAL, "first_seen", "is in the future");
    if (t->last_seen > now)
        return yj_error_set(err, YJ_EINVAL, "last_seen", "is in the future");
    if (t->first_seen && t->last_seen && t->last_seen < t->first_seen)
        return yj_error_set(err, YJ_EINVAL, "last_seen", "is before first_seen");
    if (t->count < 1)
        return yj_error_set(err, YJ_EINVAL, "count", "must be at least 1");
    return YJ_OK;
}

/* --- threat reports --------------------------------------------------------------------------- */

bool threat_status_editable(enum threat_status s)
{
    return s == THREAT_DRAFT || s == THREAT_RETURNED;
}

bool threat_category_needs_tuples(enum intel_category c)
{
    return (unsigned)c < INTEL_CAT__COUNT && c != INTEL_CAT_HAZARD && c != INTEL_CAT_EVENT &&
           c != INTEL_CAT_OTHER;
}

bool threat_category_needs_c2(enum intel_category c)
{
    return c == INTEL_CAT_MALWARE || c == INTEL_CAT_BOTNET;
}

enum yj_err threat_submit_check(enum threat_status from, const struct threat_facts *f,
                                struct yj_error *err)
{
    if (!threat_status_editable(from))
        return yj_error_set(err, YJ_ECONFLICT, "status", "a %s report is not submitted again",
                            threat_status_code(from));
    if (!filled(f->summary))
        return yj_error_set(err, YJ_EINCOMPLETE, "summary", "describe the threat");
    if (!filled(f->propagation))
        return yj_error_set(err, YJ_EINCOMPLETE, "propagation_path",
                            "describe how the threat spreads");
    if (threat_category_needs_tuples(f->category) && f->n_tuples == 0)
        return yj_error_set(err, YJ_EINCOMPLETE, "five_tuples", "give at least one five-tuple");
    if (f->n_indicators == 0)
        return yj_error_set(err, YJ_EINCOMPLETE, "indicators", "give at least one indicator");
    if (threat_category_needs_c2(f->category) && f->n_c2 == 0)
        return yj_error_set(err, YJ_EINCOMPLETE, "indicators",
                            "give the C&C address (an indicator with role c2)");
    return YJ_OK;
}

enum yj_err threat_review(enum threat_status from, enum threat_decision d, const char *comment,
                          enum threat_status *to, struct yj_error *err)
{
    static const enum threat_status result[THREAT_D__COUNT] = {
        [THREAT_D_ACCEPT] = THREAT_ACCEPTED,
        [THREAT_D_RETURN] = THREAT_RETURNED,
        [THREAT_D_REJECT_DUPLICATE] = THREAT_REJECTED_DUPLICATE,
        [THREAT_D_REJECT_UNFOUNDED] = THREAT_REJECTED_UNFOUNDED,
    };
    if ((unsigned)d >= THREAT_D__COUNT)
        return yj_error_set(err, YJ_EINVAL, "decision", "unknown decision");
    if (from != THREAT_SUBMITTED)
        return yj_error_set(err, YJ_ECONFLICT, "status", "only a submitted report is reviewed");
    if (d != THREAT_D_ACCEPT && !filled(comment))
        return yj_error_set(err, YJ_EINVAL, "comment", "say why");
    *to = result[d];
    return YJ_OK;
}

/* --- early warnings --------------------------------------------------------------------------- */

bool warn_status_editable(enum warn_status s)
{
    return s == WARN_DRAFT || s == WARN_RETURNED;
}

enum yj_err warn_submit_check(enum warn_status from, const struct warn_facts *f,
                              struct yj_error *err)
{
    if (!warn_status_editable(from))
        return yj_error_set(err, YJ_ECONFLICT, "status", "a %s warning is not submitted again",
                            warn_status_code(from));
    if (f->event_at <= 0)
        return yj_error_set(err, YJ_EINCOMPLETE, "event_at", "say when it happened");
    const struct {
        const char *field, *text;
    } parts[] = {{"description", f->description},
                 {"cause", f->cause},
                 {"impact", f->impact},
                 {"countermeasures", f->countermeasures},
                 {"analysis", f->analysis}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(parts); i++)
        if (!filled(parts[i].text))
            return yj_error_set(err, YJ_EINCOMPLETE, parts[i].field, "required to submit");
    if (!f->has_colour)
        return yj_error_set(err, YJ_EINCOMPLETE, "colour", "choose red, orange, yellow or blue");
    return YJ_OK;
}

enum yj_err warn_review(enum warn_status from, enum warn_decision d, const char *comment,
                        enum warn_status *to, struct yj_error *err)
{
    static const enum warn_status result[WARN_D__COUNT] = {
        [WARN_D_PUBLISH] = WARN_PUBLISHED,
        [WARN_D_RETURN] = WARN_RETURNED,
        [WARN_D_REJECT] = WARN_REJECTED,
    };
    if ((unsigned)d >= WARN_D__COUNT)
        return yj_error_set(err, YJ_EINVAL, "decision", "unknown decision");
    if (from != WARN_SUBMITTED)
        return yj_error_set(err, YJ_ECONFLICT, "status", "only a submitted warning is reviewed");
    if (d != WARN_D_PUBLISH && !filled(comment))
        return yj_error_set(err, YJ_EINVAL, "comment", "say why");
    *to = result[d];
    return YJ_OK;
}

/* --- vulnerability ids ------------------------------------------------------------------------ */

/* n digits at s (exactly), their value into *v. */
static bool digits(const char *s, size_t n, long *v)
{
    *v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

static bool year_ok(long y)
{
    return y >= 1999 && y <= 2099;
}

/* The run of digits at s: its length. */
static size_t digit_run(const char *s)
{
    size_t n = 0;
    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

/* "YYYY-N..." at s with min..max digits after the dash (no leading zero beyond the
 * minimum length when zero_ok is false); nothing after. */
static bool year_seq(const char *s, size_t min, size_t max, bool zero_ok)
{
    long y;
    if (!digits(s, 4, &y) || !year_ok(y) || s[4] != '-')
        return false;
    size_t n = digit_run(s + 5);
    if (n < min || n > max || s[5 + n] != '\0')
        return false;
    return zero_ok || n == min || s[5] != '0';
}

enum yj_err warn_ref_canonical(const char *raw, const char *field, char out[WARN_REF_MAX],
                               enum warn_ref_kind *kind, struct yj_error *err)
{
    if (!raw)
        return yj_error_set(err, YJ_EINVAL, field, "required");
    while (isspace((unsigned char)*raw))
        raw++;
    size_t n = strlen(raw);
    while (n && isspace((unsigned char)raw[n - 1]))
        n--;
    if (n == 0 || n >= WARN_REF_MAX)
        return yj_error_set(err, YJ_EINVAL, field,
                            "must be a CVE, CNVD or CNNVD id such as CVE-2021-44228");
    for (size_t i = 0; i < n; i++)
        out[i] = (char)toupper((unsigned char)raw[i]);
    out[n] = '\0';
    bool ok = false;
    if (strncmp(out, "CVE-", 4) == 0) {
        *kind = WARN_REF_CVE;
        ok = year_seq(out + 4, 4, 19, false);
    } else if (strncmp(out, "CNVD-C-", 7) == 0) {
        *kind = WARN_REF_CNVD;
        ok = year_seq(out + 7, 5, 6, true);
    } else if (strncmp(out, "CNVD-", 5) == 0) {
        *kind = WARN_REF_CNVD;
        ok = year_seq(out + 5, 5, 5, true);
    } else if (strncmp(out, "CNNVD-", 6) == 0) {
        const char *s = out + 6;
        long y, m;
        *kind = WARN_REF_CNNVD;
        ok = digits(s, 4, &y) && year_ok(y) && digits(s + 4, 2, &m) && m >= 1 && m <= 12 &&
             s[6] == '-';
        size_t d = ok ? digit_run(s + 7) : 0;
        ok = ok && d >= 3 && d <= 4 && s[7 + d] == '\0';
    }
    if (!ok)
        return yj_error_set(err, YJ_EINVAL, field,
                            "must be a CVE, CNVD or CNNVD id such as CVE-2021-44228");
    return YJ_OK;
}

/*
 * disposal.c - rules of disposal notices (disposal.h): the plan of who owns which
 * of a report's values, the deadline, the measure, the states, and the Chinese
 * words of a notice and of its overdue warning.
 */
#include "intel/disposal.h"

#include <time.h>

#include "core/yj.h"

enum { HOUR_MS = 3600 * 1000, CST_MS = 8 * HOUR_MS };

/* --- roles --------------------------------------------------------------------------------- */

static const struct {
    const char *code, *zh;
} tuple_roles[] = {{"src_ip", "源IP"}, {"dst_ip", "目的IP"}};

const char *disposal_role_name_zh(const char *role)
{
    enum threat_role r;
    if (role && threat_role_parse(role, &r) == 0)
        return threat_role_name_zh(r);
    for (size_t i = 0; role && i < YJ_ARRAY_LEN(tuple_roles); i++)
        if (strcmp(role, tuple_roles[i].code) == 0)
            return tuple_roles[i].zh;
    return "未知";
}

bool disposal_role_ok(const char *role)
{
    return strcmp(disposal_role_name_zh(role), "未知") != 0;
}

/* --- the plan ---------------------------------------------------------------------------- */

/* A value with the owner it resolved to: > 0 a constituent, 0 nobody, -1 not resolvable
 * at all (a hash, an app). */
struct entry {
    struct disposal_value v;
    int64_t owner;
};

/* Resolutions already made, by the string resolved (a report names the same C&C address
 * in many five-tuples). */
struct resolver {
    const struct intel_owned *ranges, *domains;
    size_t n_ranges, n_domains;
    const char **queries;
    int64_t *owners;
    size_t n, cap;
    struct yj_arena *a;
};

/* The string that decides who owns a value of type t, or NULL when nothing does. */
static const char *owner_query(enum intel_type t, const char *value, struct yj_arena *a)
{
    switch (t) {
    case INTEL_MD5:
    case INTEL_SHA1:
    case INTEL_SHA256:
    case INTEL_SM3:
    case INTEL_APP:
    case INTEL_TYPE__COUNT:
        return NULL;
    case INTEL_CC: {
        /* "host:port[/protocol]" with an IPv6 host in brackets (intel_canonical). */
        if (value[0] == '[') {
            const char *close = strchr(value, ']');
            return close ? yj_arena_strndup(a, value + 1, (size_t)(close - value - 1)) : NULL;
        }
        return yj_arena_strndup(a, value, strcspn(value, ":/"));
    }
    default:
        return value;
    }
}

static enum yj_err resolve(struct resolver *r, enum intel_type t, const char *value, int64_t *owner,
                           struct yj_error *err)
{
    const char *q = owner_query(t, value, r->a);
    *owner = -1;
    if (!q || !*q)
        return YJ_OK;
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->queries[i], q) == 0) {
            *owner = r->owners[i];
            return YJ_OK;
        }
    struct intel_owner o;
    struct yj_error inner;
    enum yj_err rc = intel_constituency_resolve(r->ranges, r->n_ranges, r->domains, r->n_domains, q,
                                                "value", r->a, &o, &inner);
    if (rc == YJ_ENOMEM)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    /* A canonical value the resolver cannot read is owned by nobody we know. */
    *owner = rc ? 0 : o.owner;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 64;
        const char **nq = yj_arena_calloc(r->a, cap, sizeof *nq);
        int64_t *no = yj_arena_calloc(r->a, cap, sizeof *no);
        if (!nq || !no)
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        if (r->n) {
            memcpy(nq, r->queries, r->n * sizeof *nq);
            memcpy(no, r->owners, r->n * sizeof *no);
        }
        r->queries = nq;
        r->owners = no;
        r->cap = cap;
    }
    r->queries[r->n] = q;
    r->owners[r->n++] = *owner;
    return YJ_OK;
}

/* Appends (value, role) to e unless it is there already. */
static enum yj_err add_entry(struct resolver *r, struct entry *e, size_t *n, enum intel_type t,
                             const char *value, const char *role, int64_t *owner,
                             struct yj_error *err)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(e[i].v.role, role) == 0 && strcmp(e[i].v.value, value) == 0) {
            *owner = e[i].owner;
            return YJ_OK;
        }
    enum yj_err rc = resolve(r, t, value, owner, err);
    if (!rc)
        e[(*n)++] = (struct entry){{t, value, role}, *owner};
    return rc;
}

static enum intel_type ip_type(const char *ip)
{
    return strchr(ip, ':') ? INTEL_IPV6 : INTEL_IPV4;
}

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Fills one owner's values and five-tuples from the resolved entries. */
static enum yj_err owner_fill(struct disposal_owner *o, const struct entry *e, size_t ne,
                              const int64_t (*ends)[2], size_t n_tuples, struct yj_arena *a,
                              struct yj_error *err)
{
    o->values = yj_arena_calloc(a, ne + 1, sizeof *o->values);
    o->tuples = yj_arena_calloc(a, n_tuples + 1, sizeof *o->tuples);
    if (!o->values || !o->tuples)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; i < ne; i++)
        if (e[i].owner == o->constituent_id)
            o->values[o->n_values++] = e[i].v;
    for (size_t i = 0; i < n_tuples; i++)
        if (ends[i][0] == o->constituent_id || ends[i][1] == o->constituent_id)
            o->tuples[o->n_tuples++] = i;
    return YJ_OK;
}

enum yj_err disposal_plan_build(const struct threat_indicator *ind, size_t n_ind,
                                const struct threat_tuple *tuples, size_t n_tuples,
                                const struct intel_owned *ranges, size_t n_ranges,
                                const struct intel_owned *domains, size_t n_domains,
                                struct yj_arena *a, struct disposal_plan *out, struct yj_error *err)
{
    *out = (struct disposal_plan){0};
    struct resolver r = {
        .ranges = ranges, .domains = domains, .n_ranges = n_ranges, .n_domains = n_domains, .a = a};
    size_t max = n_ind + 2 * n_tuples, ne = 0;
    struct entry *e = yj_arena_calloc(a, max + 1, sizeof *e);
    int64_t(*ends)[2] = yj_arena_calloc(a, n_tuples + 1, sizeof *ends);
    int64_t *ids = yj_arena_calloc(a, max + 1, sizeof *ids);
    if (!e || !ends || !ids)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    enum yj_err rc = YJ_OK;
    int64_t owner;
    for (size_t i = 0; !rc && i < n_ind; i++)
        rc = add_entry(&r, e, &ne, ind[i].type, ind[i].value, threat_role_code(ind[i].role), &owner,
                       err);
    for (size_t i = 0; !rc && i < n_tuples; i++) {
        rc = add_entry(&r, e, &ne, ip_type(tuples[i].src_ip), tuples[i].src_ip, "src_ip",
                       &ends[i][0], err);
        if (!rc)
            rc = add_entry(&r, e, &ne, ip_type(tuples[i].dst_ip), tuples[i].dst_ip, "dst_ip",
                           &ends[i][1], err);
    }
    if (rc)
        return rc;
    /* The distinct owners, by id. */
    size_t n_ids = 0;
    for (size_t i = 0; i < ne; i++)
        if (e[i].owner > 0)
            ids[n_ids++] = e[i].owner;
    qsort(ids, n_ids, sizeof *ids, cmp_id);
    out->owners = yj_arena_calloc(a, n_ids + 1, sizeof *out->owners);
    out->unowned = yj_arena_calloc(a, ne + 1, sizeof *out->unowned);
    if (!out->owners || !out->unowned)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    for (size_t i = 0; !rc && i < n_ids; i++) {
        if (i > 0 && ids[i] == ids[i - 1])
            continue;
        struct disposal_owner *o = &out->owners[out->n_owners++];
        o->constituent_id = ids[i];
        rc = owner_fill(o, e, ne, (const int64_t(*)[2])ends, n_tuples, a, err);
    }
    for (size_t i = 0; i < ne; i++)
        if (e[i].owner == 0)
            out->unowned[out->n_unowned++] = e[i].v;
    return rc;
}

const struct disposal_owner *disposal_plan_find(const struct disposal_plan *plan,
                                                int64_t constituent_id)
{
    for (size_t i = 0; i < plan->n_owners; i++)
        if (plan->owners[i].constituent_id == constituent_id)
            return &plan->owners[i];
    return NULL;
}

/* --- the deadline and the measure ---------------------------------------------------------- */

enum yj_err disposal_deadline(int64_t now, int64_t deadline_at, int64_t hours, int64_t *out,
                              struct yj_error *err)
{
    const int64_t furthest = now + (int64_t)DISPOSAL_HOURS_MAX * HOUR_MS;
    if (deadline_at && hours)
        return yj_error_set(err, YJ_EINVAL, "deadline_at",
                            "give deadline_at or deadline_hours, not both");
    if (deadline_at) {
        if (deadline_at <= now)
            return yj_error_set(err, YJ_EINVAL, "deadline_at", "must be in the future");
        if (deadline_at > furthest)
            return yj_error_set(err, YJ_EINVAL, "deadline_at", "at most %d days ahead",
                                DISPOSAL_HOURS_MAX / 24);
        *out = deadline_at;
        return YJ_OK;
    }
    if (hours && (hours < 1 || hours > DISPOSAL_HOURS_MAX))
        return yj_error_set(err, YJ_EINVAL, "deadline_hours", "must be 1 to %d",
                            DISPOSAL_HOURS_MAX);
    *out = now + (hours ? hours : DISPOSAL_HOURS_DEFAULT) * HOUR_MS;
    return YJ_OK;
}

enum yj_err disposal_measure(const struct threat_disposal *suggested,
                             const struct disposal_override *o, struct threat_disposal *out,
                             struct yj_error *err)
{
    *out = *suggested;
    if (o->has_measure && o->measure != out->measure) {
        out->measure = o->measure;
        out->blocks = 0;
        out->text = NULL;
    }
    if (o->has_blocks)
        out->blocks = o->blocks;
    if (o->has_text)
        out->text = o->text;
    enum yj_err rc = threat_disposal_check(out, err);
    /* The notice's body names the measure's parts directly, not inside "disposal". */
    if (rc && err && strncmp(err->field, "disposal.", 9) == 0)
        memmove(err->field, err->field + 9, strlen(err->field + 9) + 1);
    return rc;
}

/* --- states ------------------------------------------------------------------------------- */

static const struct {
    const char *code, *zh;
} statuses[DISPOSAL_STATUS__COUNT] = {
    [DISPOSAL_SENT] = {"sent", "已发送"},
    [DISPOSAL_ACKNOWLEDGED] = {"acknowledged", "已确认收到"},
    [DISPOSAL_HANDLED] = {"handled", "已处置"},
};

const char *disposal_status_code(enum disposal_status s)
{
    return (unsigned)s < DISPOSAL_STATUS__COUNT ? statuses[s].code : "unknown";
}

const char *disposal_status_name_zh(enum disposal_status s)
{
    return (unsigned)s < DISPOSAL_STATUS__COUNT ? statuses[s].zh : "未知";
}

int disposal_status_parse(const char *code, enum disposal_status *s)
{
    for (int i = 0; code && i < DISPOSAL_STATUS__COUNT; i++)
        if (strcmp(code, statuses[i].code) == 0) {
            *s = (enum disposal_status)i;
            return 0;
        }
    return -1;
}

enum yj_err disposal_step_apply(enum disposal_status from, enum disposal_step step,
                                enum disposal_status *to, struct yj_error *err)
{
    if (from == DISPOSAL_HANDLED)
        return yj_error_set(err, YJ_ECONFLICT, "status", "the notice has been handled already");
    switch (step) {
    case DISPOSAL_STEP_ACKNOWLEDGE:
        if (from != DISPOSAL_SENT)
            return yj_error_set(err, YJ_ECONFLICT, "status",
                                "the notice has been acknowledged already");
        *to = DISPOSAL_ACKNOWLEDGED;
        return YJ_OK;
    case DISPOSAL_STEP_HANDLE:
        *to = DISPOSAL_HANDLED;
        return YJ_OK;
    case DISPOSAL_STEP_RESEND:
        *to = from;
        return YJ_OK;
    }
    return yj_error_set(err, YJ_EINTERNAL, NULL, "unknown step");
}

bool disposal_overdue_due(enum disposal_status s, int64_t overdue_at, int64_t deadline_at,
                          int64_t at)
{
    return s != DISPOSAL_HANDLED && overdue_at == 0 && at >= deadline_at;
}

bool disposal_remaining(enum disposal_status s, int64_t deadline_at, int64_t now, int64_t *ms)
{
    *ms = s == DISPOSAL_HANDLED ? 0 : deadline_at - now;
    return s != DISPOSAL_HANDLED;
}

/* --- the words ------------------------------------------------------------------------------ */

bool disposal_kind_escalates(const char *kind)
{
    return kind && (strcmp(kind, "government") == 0 || strcmp(kind, "cii") == 0);
}

/* Beijing time as struct tm; false when ms is beyond what gmtime_r takes. */
static bool cst_tm(int64_t ms, struct tm *tm)
{
    time_t t = (time_t)((ms + CST_MS) / 1000);
    return gmtime_r(&t, tm) != NULL;
}

const char *disposal_time_zh(int64_t ms, struct yj_arena *a)
{
    struct tm tm;
    if (!cst_tm(ms, &tm))
        return "";
    return yj_arena_printf(a, "%04d年%02d月%02d日 %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                           tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* The first max characters of s, with "…" when it had more (arena text). */
static const char *chars_cut(const char *s, size_t max, struct yj_arena *a)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
            return yj_arena_printf(a, "%.*s…", (int)i, s);
    }
    return s;
}

/* "1.2.3.4:80", "[2001:db8::1]:443", or the address alone without a port. */
static const char *endpoint(const char *ip, int port, struct yj_arena *a)
{
    if (port <= 0)
        return ip;
    return yj_arena_printf(a, strchr(ip, ':') ? "[%s]:%d" : "%s:%d", ip, port);
}

static void put_tuple(struct yj_buf *b, size_t k, const struct threat_tuple *t, struct yj_arena *a)
{
    char proto[8];
    size_t n = 0;
    for (; t->protocol[n] && n < sizeof proto - 1; n++)
        proto[n] = (char)(t->protocol[n] >= 'a' && t->protocol[n] <= 'z' ? t->protocol[n] - 32
                                                                         : t->protocol[n]);
    proto[n] = '\0';
    yj_buf_printf(b, "%zu. 源 %s → 目的 %s，协议 %s", k + 1, endpoint(t->src_ip, t->src_port, a),
                  endpoint(t->dst_ip, t->dst_port, a), proto);
    if (t->first_seen)
        yj_buf_printf(b, "，首次发现 %s", disposal_time_zh(t->first_seen, a));
    if (t->last_seen)
        yj_buf_printf(b, "，最后发现 %s", disposal_time_zh(t->last_seen, a));
    yj_buf_printf(b, "，共 %lld 次\n", (long long)t->count);
}

static void put_lists(struct yj_buf *b, const struct disposal_facts *f, struct yj_arena *a)
{
    size_t start = b->len, k;
    yj_buf_puts(b, "\n涉及贵单位的网络资源：\n");
    for (k = 0; k < f->n_values && k < DISPOSAL_TEXT_VALUES_MAX; k++) {
        if (b->len - start > DISPOSAL_TEXT_BUDGET / 2)
            break;
        const struct disposal_value *v = &f->values[k];
        yj_buf_printf(b, "%zu. %s（%s，%s）\n", k + 1, v->value, intel_type_name_zh(v->type),
                      disposal_role_name_zh(v->role));
    }
    if (k < f->n_values)
        yj_buf_printf(b, "（另有 %zu 项未列出，详见通知页面）\n", f->n_values - k);
    if (!f->n_tuples)
        return;
    yj_buf_puts(b, "\n相关通信五元组：\n");
    for (k = 0; k < f->n_tuples && k < DISPOSAL_TEXT_TUPLES_MAX; k++) {
        if (b->len - start > DISPOSAL_TEXT_BUDGET)
            break;
        put_tuple(b, k, &f->tuples[k], a);
    }
    if (k < f->n_tuples)
        yj_buf_printf(b, "（另有 %zu 条未列出，详见通知页面）\n", f->n_tuples - k);
}

static void put_measure(struct yj_buf *b, const struct threat_disposal *m)
{
    yj_buf_printf(b, "\n处置措施：%s", threat_measure_name_zh(m->measure));
    const char *sep = "（";
    for (int k = 0; k < THREAT_B__COUNT; k++)
        if (m->blocks & (1u << k)) {
            yj_buf_printf(b, "%s%s", sep, threat_block_name_zh((enum threat_block)k));
            sep = "、";
        }
    yj_buf_puts(b, strcmp(sep, "（") ? "）\n" : "\n");
    if (m->text && *m->text)
        yj_buf_printf(b, "处置要求：%s\n", m->text);
}

enum yj_err disposal_compose(const struct disposal_facts *f, struct yj_arena *a,
                             const char **subject, const char **text, struct yj_error *err)
{
    struct tm tm;
    if (!cst_tm(f->deadline_at, &tm))
        return yj_error_set(err, YJ_EINVAL, "deadline_at", "out of range");
    *subject = yj_arena_printf(a, "【网络安全威胁处置通知】%s（请于%02d月%02d日%02d:%02d前处置）",
                               chars_cut(f->report_title, DISPOSAL_SUBJECT_TITLE_MAX, a),
                               tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
    struct yj_buf b;
    yj_buf_init(&b, 64 * 1024);
    yj_buf_printf(&b,
                  "%s：\n\n经监测，贵单位管理的网络资源涉及下列网络安全威胁。依据《公共互联网网络"
                  "安全威胁监测与处置办法》，请按要求及时处置，并反馈处置结果。\n\n"
                  "威胁名称：%s\n威胁类别：%s\n",
                  f->constituent_name, f->report_title, intel_category_name_zh(f->category));
    put_lists(&b, f, a);
    put_measure(&b, f->measure);
    yj_buf_printf(&b, "处置时限：请于 %s（北京时间）前完成处置。\n",
                  disposal_time_zh(f->deadline_at, a));
    if (disposal_kind_escalates(f->constituent_kind))
        yj_buf_printf(
            &b, "\n贵单位属于%s，依据上述办法，本通知同时告知贵单位上级主管部门和网信部门。\n",
            strcmp(f->constituent_kind, "cii") == 0 ? "关键信息基础设施运营者" : "党政机关");
    yj_buf_puts(&b, "\n请通过下方链接确认收到本通知，并在处置完成后反馈处置结果。\n");
    *text = b.ptr ? yj_arena_strndup(a, b.ptr, b.len) : NULL;
    yj_buf_release(&b);
    if (!*subject || !*text)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    return YJ_OK;
}

void disposal_compose_overdue(const char *constituent_name, const char *report_title,
                              int64_t deadline_at, struct yj_arena *a, const char **subject,
                              const char **text)
{
    *subject = yj_arena_printf(a, "【处置超期】%s未在时限内反馈处置结果：%s",
                               chars_cut(constituent_name, 60, a),
                               chars_cut(report_title, DISPOSAL_SUBJECT_TITLE_MAX, a));
    *text = yj_arena_printf(a,
                            "责任单位：%s\n威胁名称：%s\n处置时限：%s（北京时间）\n\n"
                            "该单位未在时限内反馈处置结果，处置通知已标记为超期，请及时督促。",
                            constituent_name, report_title, disposal_time_zh(deadline_at, a));
}

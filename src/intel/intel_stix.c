/*
 * intel_stix.c - STIX 2.1 bundles in and out: indicators (their patterns parsed in
 * intel_stix_pattern.c), the cyber-observables that are values themselves, TLP
 * markings; the exporter and the pattern writer.
 */
#include "intel/intel_stix.h"

#include <ctype.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <strings.h>

#include "core/yj.h"
#include "intel/intel_exchange.h"

/* --- TLP markings --------------------------------------------------------------------- */

struct marking {
    const char *id;
    enum intel_tlp tlp;
};

/* The marking-definitions STIX 2.1 defines for TLP 1.0 (§7.2.1.4) and those of the TLP 2.0
 * extension; exports use the first four and TLP 2.0's amber+strict. */
static const struct marking std_markings[] = {
    {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", INTEL_TLP_CLEAR},
    {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", INTEL_TLP_GREEN},
    {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", INTEL_TLP_AMBER},
    {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", INTEL_TLP_AMBER_STRICT},
    {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", INTEL_TLP_RED},
    {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", INTEL_TLP_CLEAR},
    {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", INTEL_TLP_GREEN},
    {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", INTEL_TLP_AMBER},
    {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", INTEL_TLP_RED},
};

/* --- import ------------------------------------------------------------------------------ */

enum { STIX_TYPES_TRACKED = 64 };

struct type_count {
    const char *type;
    size_t count, first;
};

struct stix_in {
    struct yj_arena *a;
    struct intel_batch *b;
    const struct intel_indicator *defaults;
    struct marking *local; /* TLP marking-definitions found in the bundle */
    size_t n_local;
    struct type_count types[STIX_TYPES_TRACKED + 1]; /* the last: every other type */
    size_t n_types;
    char where[40];
    const char *id;
    struct yj_error *err;
};

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static enum yj_err in_problem(struct stix_in *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum yj_err in_problem(struct stix_in *in, const char *fmt, ...)
{
    char reason[YJ_ERR_MSG_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    intel_utf8_scrub(reason);
    return intel_batch_problem(in->b, in->a, in->where, in->id, reason, in->err);
}

/* The TLP of a bundle's own marking-definition, if it is one. */
static bool marking_tlp(const json_t *o, enum intel_tlp *t)
{
    const char *kind = jstr(o, "definition_type");
    if (kind && strcmp(kind, "tlp") == 0 &&
        intel_tlp_parse(jstr(json_object_get(o, "definition"), "tlp"), "tlp", t, NULL) == YJ_OK)
        return true;
    const char *key;
    json_t *ext;
    json_object_foreach (json_object_get(o, "extensions"), key, ext) {
        if (intel_tlp_parse(jstr(ext, "tlp_2_0"), "tlp", t, NULL) == YJ_OK)
            return true;
    }
    const char *name = jstr(o, "name");
    return name && strncasecmp(name, "tlp:", 4) == 0 &&
           intel_tlp_parse(name, "tlp", t, NULL) == YJ_OK;
}

static void collect_markings(struct stix_in *in, const json_t *objects)
{
    size_t i, n = 0;
    json_t *o;
    json_array_foreach (objects, i, o) {
        const char *type = jstr(o, "type");
        n += type && strcmp(type, "marking-definition") == 0;
    }
    in->local = n ? yj_arena_calloc(in->a, n, sizeof *in->local) : NULL;
    json_array_foreach (objects, i, o) {
        const char *type = jstr(o, "type"), *id = jstr(o, "id");
        enum intel_tlp t;
        if (in->local && type && id && strcmp(type, "marking-definition") == 0 &&
            marking_tlp(o, &t))
            in->local[in->n_local++] = (struct marking){id, t};
    }
}

/* The most restrictive TLP among the object's markings; false when none is TLP. */
static bool object_tlp(const struct stix_in *in, const json_t *o, enum intel_tlp *out)
{
    bool found = false;
    size_t i;
    json_t *ref;
    json_array_foreach (json_object_get(o, "object_marking_refs"), i, ref) {
        const char *id = json_string_value(ref);
        for (size_t k = 0; id && k < YJ_ARRAY_LEN(std_markings) + in->n_local; k++) {
            const struct marking *m = k < YJ_ARRAY_LEN(std_markings)
                                          ? &std_markings[k]
                                          : &in->local[k - YJ_ARRAY_LEN(std_markings)];
            if (strcmp(id, m->id) == 0 && (!found || m->tlp > *out)) {
                *out = m->tlp;
                found = true;
            }
        }
    }
    return found;
}

/* A timestamp property: 0 when absent, else its ms; a bad one is reported and ignored. */
static enum yj_err get_time(struct stix_in *in, const json_t *o, const char *key, int64_t *ms)
{
    *ms = 0;
    const json_t *v = json_object_get(o, key);
    if (!v)
        return YJ_OK;
    if (json_is_string(v) && yj_time_parse(json_string_value(v), ms) == 0)
        return YJ_OK;
    *ms = 0;
    return in_problem(in, "%s is not a timestamp: ignored", key);
}

/* The template of every value of one object: markings, and defaults otherwise. */
static enum yj_err object_template(struct stix_in *in, const json_t *o, struct intel_indicator *t)
{
    intel_template_init(t, in->defaults);
    object_tlp(in, o, &t->tlp);
    t->external_id = in->id ? yj_arena_strdup(in->a, in->id) : NULL;
    if (in->id && !t->external_id)
        return yj_error_set(in->err, YJ_ENOMEM, NULL, "out of memory");
    return YJ_OK;
}

static enum yj_err add_tag(struct stix_in *in, struct intel_indicator *t, const char *tag,
                           enum intel_category *cat)
{
    if (*cat == INTEL_CAT_OTHER)
        *cat = intel_category_of_word(tag);
    const char *copy = yj_arena_strdup(in->a, tag);
    if (!copy)
        return yj_error_set(in->err, YJ_ENOMEM, NULL, "out of memory");
    if (intel_tag_add(t, copy))
        return YJ_OK;
    return in_problem(in, "tag not imported (empty, over %d bytes, or over %d tags): %.120s",
                      INTEL_TAG_MAX, INTEL_TAGS_MAX, tag);
}

/* What only our own exports say (STIX has no property for it). */
static enum yj_err read_x_yingji(struct stix_in *in, const json_t *x, struct intel_indicator *t,
                                 bool *cat_fixed)
{
    enum yj_err rc = YJ_OK;
    const char *cat = jstr(x, "category");
    if (cat && intel_category_parse(cat, "category", &t->category, NULL) == YJ_OK)
        *cat_fixed = true;
    else if (cat)
        rc = in_problem(in, "x_yingji.category %.40s unknown: ignored", cat);
    json_t *s = json_object_get(x, "sightings");
    if (json_is_integer(s) && json_integer_value(s) >= 1)
        t->sightings = json_integer_value(s);
    if (rc == YJ_OK)
        rc = get_time(in, x, "first_seen", &t->first_seen);
    if (rc == YJ_OK)
        rc = get_time(in, x, "last_seen", &t->last_seen);
    return rc;
}

static enum yj_err import_indicator(struct stix_in *in, const json_t *o)
{
    if (json_is_true(json_object_get(o, "revoked")))
        return in_problem(in, "indicator revoked: not imported");
    const char *ptype = jstr(o, "pattern_type"), *pattern = jstr(o, "pattern");
    if (ptype && strcmp(ptype, "stix") != 0)
        return in_problem(in, "pattern_type %.40s: only STIX patterns are imported", ptype);
    if (!pattern)
        return in_problem(in, "indicator without a pattern");
    struct intel_indicator t;
    enum yj_err rc = object_template(in, o, &t);
    const char *desc = jstr(o, "description") ? jstr(o, "description") : jstr(o, "name");
    if (rc == YJ_OK && desc && !(t.description = yj_arena_strdup(in->a, desc)))
        rc = yj_error_set(in->err, YJ_ENOMEM, NULL, "out of memory");

    enum intel_category cat = INTEL_CAT_OTHER;
    static const char *const tag_keys[] = {"labels", "indicator_types"};
    for (size_t k = 0; k < YJ_ARRAY_LEN(tag_keys); k++) {
        size_t i;
        json_t *v;
        json_array_foreach (json_object_get(o, tag_keys[k]), i, v) {
            const char *tag = json_string_value(v);
            if (rc == YJ_OK && tag && strcmp(tag, "malicious-activity") != 0)
                rc = add_tag(in, &t, tag, &cat);
        }
    }
    bool cat_fixed = cat != INTEL_CAT_OTHER || t.category != INTEL_CAT_OTHER;
    if (cat != INTEL_CAT_OTHER)
        t.category = cat;

    json_t *conf = json_object_get(o, "confidence");
    if (rc == YJ_OK && conf) {
        if (json_is_integer(conf) && json_integer_value(conf) >= 0 &&
            json_integer_value(conf) <= 100)
            t.confidence = (int)json_integer_value(conf);
        else
            rc = in_problem(in, "confidence is not 0..100: ignored");
    }
    if (rc == YJ_OK)
        rc = get_time(in, o, "valid_until", &t.valid_until);
    const json_t *x = json_object_get(o, "x_yingji");
    if (json_is_object(x)) {
        if (rc == YJ_OK)
            rc = read_x_yingji(in, x, &t, &cat_fixed);
    } else {
        static const char *const seen[] = {"valid_from", "created", "modified"};
        for (size_t k = 0; rc == YJ_OK && k < YJ_ARRAY_LEN(seen) && !t.first_seen; k++)
            rc = get_time(in, o, seen[k], &t.first_seen);
    }
    size_t before = in->b->n;
    if (rc == YJ_OK)
        rc = intel_stix_pattern_import(pattern, &t, in->where, in->id, in->a, in->b, in->err);
    for (size_t k = before; rc == YJ_OK && !cat_fixed && k < in->b->n; k++)
        in->b->items[k].category = intel_category_of_type(in->b->items[k].type);
    return rc;
}

static bool hash_name(const char *name, enum intel_type *t)
{
    static const struct {
        const char *name;
        enum intel_type t;
    } hashes[] = {{"MD5", INTEL_MD5},        {"SHA-1", INTEL_SHA1},    {"SHA1", INTEL_SHA1},
                  {"SHA-256", INTEL_SHA256}, {"SHA256", INTEL_SHA256}, {"SM3", INTEL_SM3}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(hashes); i++)
        if (strcasecmp(name, hashes[i].name) == 0) {
            *t = hashes[i].t;
            return true;
        }
    return false;
}

static enum yj_err add_sco_value(struct stix_in *in, const struct intel_indicator *tmpl,
                                 enum intel_type type, const char *raw)
{
    struct intel_indicator ind = *tmpl;
    struct yj_error e;
    if (!raw)
        return in_problem(in, "%s without a value", intel_type_code(type));
    if (intel_canonical(type, raw, "value", in->a, &ind.value, &e) != YJ_OK)
        return e.code == YJ_ENOMEM ? yj_error_set(in->err, YJ_ENOMEM, NULL, "out of memory")
                                   : in_problem(in, "bad value %.120s: %s", raw, e.msg);
    ind.type = type;
    if (ind.category == INTEL_CAT_OTHER)
        ind.category = intel_category_of_type(type);
    return intel_batch_add(in->b, in->a, &ind, in->err);
}

/* A cyber-observable that is a value; false when its type is none we import. */
static bool import_sco(struct stix_in *in, const json_t *o, const char *type, enum yj_err *rc)
{
    static const struct {
        const char *type;
        enum intel_type t;
    } scos[] = {{"ipv4-addr", INTEL_IPV4},     {"ipv6-addr", INTEL_IPV6},
                {"domain-name", INTEL_DOMAIN}, {"url", INTEL_URL},
                {"email-addr", INTEL_EMAIL},   {"file", INTEL_TYPE__COUNT}};
    size_t k = 0;
    while (k < YJ_ARRAY_LEN(scos) && strcmp(type, scos[k].type) != 0)
        k++;
    if (k == YJ_ARRAY_LEN(scos))
        return false;
    struct intel_indicator t;
    *rc = object_template(in, o, &t);
    if (*rc != YJ_OK)
        return true;
    if (scos[k].t != INTEL_TYPE__COUNT) {
        const char *v = jstr(o, "value");
        enum intel_type it = scos[k].t;
        if (v && strchr(v, '/'))
            it = it == INTEL_IPV4 ? INTEL_CIDR4 : it == INTEL_IPV6 ? INTEL_CIDR6 : it;
        *rc = add_sco_value(in, &t, it, v);
        return true;
    }
    bool any = false;
    const char *alg;
    json_t *h;
    json_object_foreach (json_object_get(o, "hashes"), alg, h) {
        enum intel_type ht;
        if (*rc == YJ_OK && hash_name(alg, &ht)) {
            *rc = add_sco_value(in, &t, ht, json_string_value(h));
            any = true;
        }
    }
    if (*rc == YJ_OK && !any)
        *rc = in_problem(in, "file without an MD5, SHA-1, SHA-256 or SM3 hash: not imported");
    return true;
}

/* Counts an object that carries nothing importable, for one problem per type at the end. */
static void count_other(struct stix_in *in, const char *type, size_t i)
{
    size_t k = 0;
    while (k < in->n_types && strcmp(in->types[k].type, type) != 0)
        k++;
    if (k == in->n_types) {
        if (in->n_types == STIX_TYPES_TRACKED)
            k = STIX_TYPES_TRACKED, type = "objects of other types";
        else
            in->n_types++;
        if (!in->types[k].count)
            in->types[k] = (struct type_count){type, 0, i};
    }
    in->types[k].count++;
}

static enum yj_err report_others(struct stix_in *in)
{
    enum yj_err rc = YJ_OK;
    for (size_t k = 0; rc == YJ_OK && k <= STIX_TYPES_TRACKED; k++) {
        const struct type_count *c = &in->types[k];
        if (!c->count)
            continue;
        snprintf(in->where, sizeof in->where, "objects[%zu]", c->first);
        in->id = NULL;
        rc = in_problem(in, "%.80s: not an indicator (%zu object%s)", c->type, c->count,
                        c->count == 1 ? "" : "s");
    }
    return rc;
}

static enum yj_err import_bundle(struct stix_in *in, const json_t *root)
{
    const char *type = jstr(root, "type");
    if (!json_is_object(root) || !type || strcmp(type, "bundle") != 0) {
        yj_error_set(in->err, YJ_EINVAL, "file", "not a STIX bundle (type %.40s)",
                     type ? type : "missing");
        if (in->err)
            intel_utf8_scrub(in->err->msg);
        return YJ_EINVAL;
    }
    const json_t *objects = json_object_get(root, "objects");
    if (objects && !json_is_array(objects))
        return yj_error_set(in->err, YJ_EINVAL, "file", "not a STIX bundle: objects is no array");
    collect_markings(in, objects);
    enum yj_err rc = YJ_OK;
    size_t i;
    json_t *o;
    json_array_foreach (objects, i, o) {
        if (rc != YJ_OK)
            break;
        in->b->objects++;
        snprintf(in->where, sizeof in->where, "objects[%zu]", i);
        in->id = jstr(o, "id");
        const char *t = jstr(o, "type");
        if (!t)
            rc = in_problem(in, "not a STIX object (no type)");
        else if (strcmp(t, "indicator") == 0)
            rc = import_indicator(in, o);
        else if (!import_sco(in, o, t, &rc))
            count_other(in, t, i);
    }
    return rc == YJ_OK ? report_others(in) : rc;
}

enum yj_err intel_stix_import(const char *text, size_t len, const struct intel_indicator *defaults,
                              struct yj_arena *a, struct intel_batch *b, struct yj_error *err)
{
    struct intel_batch saved = *b;
    json_t *root;
    enum yj_err rc = intel_json_load(text, len, "file", &root, err);
    if (rc != YJ_OK)
        return rc;
    struct stix_in *in = calloc(1, sizeof *in);
    if (!in) {
        json_decref(root);
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    *in = (struct stix_in){.a = a, .b = b, .defaults = defaults, .err = err};
    rc = import_bundle(in, root);
    free(in);
    json_decref(root);
    if (rc != YJ_OK) { /* nothing imported: the arrays' new elements are left unused */
        b->n = saved.n;
        b->n_problems = saved.n_problems;
        b->objects = saved.objects;
    }
    return rc;
}

/* --- patterns out ---------------------------------------------------------------------- */

enum yj_err intel_stix_string(struct yj_buf *out, const char *s, size_t n)
{
    enum yj_err rc = yj_buf_puts(out, "'");
    for (size_t i = 0; rc == YJ_OK && i < n; i++) {
        if (s[i] == '\'' || s[i] == '\\')
            rc = yj_buf_puts(out, "\\");
        if (rc == YJ_OK)
            rc = yj_buf_append(out, s + i, 1);
    }
    return rc == YJ_OK ? yj_buf_puts(out, "'") : rc;
}

static enum yj_err put_cmp(struct yj_buf *o, const char *and, const char *path, const char *v,
                           size_t n)
{
    enum yj_err rc = yj_buf_printf(o, "%s%s = ", and, path);
    return rc == YJ_OK ? intel_stix_string(o, v, n) : rc;
}

/* network-traffic for "host:port[/proto]" (host "[v6]", IPv4 or a domain). */
static enum yj_err put_cc(struct yj_buf *o, const char *v)
{
    bool v6 = v[0] == '[';
    const char *colon = v6 ? strstr(v, "]:") : strrchr(v, ':');
    if (!colon)
        return YJ_EINVAL;
    colon += v6;
    const char *slash = strchr(colon, '/');
    const char *host = v + v6;
    size_t hlen = (size_t)(colon - host) - v6;
    size_t plen = slash ? (size_t)(slash - colon - 1) : strlen(colon + 1);
    bool v4 = strspn(host, "0123456789.") == hlen;
    const char *kind = v6 ? "ipv6-addr" : v4 ? "ipv4-addr" : "domain-name";
    enum yj_err rc = put_cmp(o, "", "network-traffic:dst_ref.type", kind, strlen(kind));
    if (rc == YJ_OK)
        rc = put_cmp(o, " AND ", "network-traffic:dst_ref.value", host, hlen);
    if (rc == YJ_OK)
        rc = yj_buf_printf(o, " AND network-traffic:dst_port = %.*s", (int)plen, colon + 1);
    if (rc == YJ_OK && slash)
        rc = put_cmp(o, " AND ", "network-traffic:protocols[*]", slash + 1, strlen(slash + 1));
    return rc;
}

enum yj_err intel_stix_pattern(const struct intel_indicator *ind, struct yj_arena *a,
                               const char **out, struct yj_error *err)
{
    static const char *const paths[INTEL_TYPE__COUNT] = {
        [INTEL_IPV4] = "ipv4-addr:value",     [INTEL_IPV6] = "ipv6-addr:value",
        [INTEL_CIDR4] = "ipv4-addr:value",    [INTEL_CIDR6] = "ipv6-addr:value",
        [INTEL_DOMAIN] = "domain-name:value", [INTEL_URL] = "url:value",
        [INTEL_EMAIL] = "email-addr:value",   [INTEL_MD5] = "file:hashes.MD5",
        [INTEL_SHA1] = "file:hashes.'SHA-1'", [INTEL_SHA256] = "file:hashes.'SHA-256'",
        [INTEL_SM3] = "file:hashes.SM3",      [INTEL_APP] = "x-yingji-app:package",
    };
    if (!ind->value || (unsigned)ind->type >= INTEL_TYPE__COUNT)
        return yj_error_set(err, YJ_EINVAL, "type", "indicator without a type and value");
    const char *v = ind->value;
    struct yj_buf o;
    yj_buf_init(&o, INTEL_STIX_PATTERN_MAX);
    enum yj_err rc = yj_buf_puts(&o, "[");
    if (rc == YJ_OK && ind->type == INTEL_CC) {
        rc = put_cc(&o, v);
    } else if (rc == YJ_OK) {
        const char *bar = ind->type == INTEL_APP ? strchr(v, '|') : NULL;
        rc = put_cmp(&o, "", paths[ind->type], v, bar ? (size_t)(bar - v) : strlen(v));
        if (rc == YJ_OK && bar)
            rc = put_cmp(&o, " AND ", "x-yingji-app:signing_cert_sha256", bar + 1, strlen(bar + 1));
    }
    if (rc == YJ_OK && ind->type == INTEL_DOMAIN && ind->subdomains) {
        const char *like = yj_arena_printf(a, "%%.%s", v);
        rc = like ? yj_buf_puts(&o, " OR domain-name:value LIKE ") : YJ_ENOMEM;
        if (rc == YJ_OK)
            rc = intel_stix_string(&o, like, strlen(like));
    }
    if (rc == YJ_OK)
        rc = yj_buf_puts(&o, "]");
    const char *s = rc == YJ_OK ? yj_arena_strdup(a, o.ptr) : NULL;
    yj_buf_release(&o);
    if (rc == YJ_EINVAL)
        return yj_error_set(err, YJ_EINVAL, "value", "not a C&C endpoint host:port");
    if (!s)
        return yj_error_set(err, rc == YJ_ETOOBIG ? YJ_ETOOBIG : YJ_ENOMEM, "value",
                            rc == YJ_ETOOBIG ? "pattern too long" : "out of memory");
    *out = s;
    return YJ_OK;
}

/* --- export ---------------------------------------------------------------------------- */

static const char *tlp_marking(enum intel_tlp t)
{
    static const int pick[INTEL_TLP__COUNT] = {
        [INTEL_TLP_CLEAR] = 0,        [INTEL_TLP_GREEN] = 1, [INTEL_TLP_AMBER] = 2,
        [INTEL_TLP_AMBER_STRICT] = 3, [INTEL_TLP_RED] = 4,
    };
    return (unsigned)t < INTEL_TLP__COUNT ? std_markings[pick[t]].id : NULL;
}

static int dump_to_buf(const char *s, size_t n, void *data)
{
    return yj_buf_append(data, s, n) == YJ_OK ? 0 : -1;
}

static json_t *time_json(int64_t ms)
{
    char ts[YJ_TIME_STRLEN];
    yj_time_format(ms, ts);
    return json_string(ts);
}

static json_t *indicator_json(const struct intel_indicator *ind, const char *id,
                              const char *pattern, int64_t now_ms)
{
    int64_t from = ind->first_seen ? ind->first_seen : now_ms;
    /* STIX wants valid_until after valid_from; first_seen itself travels in x_yingji */
    int64_t valid_from = ind->valid_until && ind->valid_until <= from ? ind->valid_until - 1 : from;
    json_t *o = json_object(), *labels = json_array(), *x = json_object();
    if (!o || !labels || !x) {
        json_decref(o);
        json_decref(labels);
        json_decref(x);
        return NULL;
    }
    for (size_t k = 0; k < ind->n_tags; k++)
        json_array_append_new(labels, json_string(ind->tags[k]));
    json_object_set_new(x, "category", json_string(intel_category_code(ind->category)));
    json_object_set_new(x, "sightings", json_integer(ind->sightings));
    if (ind->first_seen)
        json_object_set_new(x, "first_seen", time_json(ind->first_seen));
    if (ind->last_seen)
        json_object_set_new(x, "last_seen", time_json(ind->last_seen));
    json_object_set_new(o, "type", json_string("indicator"));
    json_object_set_new(o, "spec_version", json_string("2.1"));
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "created", time_json(from));
    json_object_set_new(o, "modified", time_json(from));
    if (ind->description)
        json_object_set_new(o, "description", json_string(ind->description));
    json_object_set_new(o, "indicator_types", json_pack("[s]", "malicious-activity"));
    json_object_set_new(o, "pattern", json_string(pattern));
    json_object_set_new(o, "pattern_type", json_string("stix"));
    json_object_set_new(o, "pattern_version", json_string("2.1"));
    json_object_set_new(o, "valid_from", time_json(valid_from));
    if (ind->valid_until)
        json_object_set_new(o, "valid_until", time_json(ind->valid_until));
    if (ind->n_tags)
        json_object_set_new(o, "labels", labels);
    else
        json_decref(labels);
    json_object_set_new(o, "confidence", json_integer(ind->confidence));
    const char *m = tlp_marking(ind->tlp);
    if (m)
        json_object_set_new(o, "object_marking_refs", json_pack("[s]", m));
    json_object_set_new(o, "x_yingji", x);
    return o;
}

/* Writes the objects; the bundle's id hashes their ids, in order. */
static enum yj_err export_objects(const struct intel_indicator *items, size_t n, int64_t now_ms,
                                  struct intel_ids *ids, struct yj_buf *out, EVP_MD_CTX *all,
                                  struct yj_error *err)
{
    struct yj_arena a;
    yj_arena_init(&a, 0);
    enum yj_err rc = YJ_OK;
    for (size_t i = 0; rc == YJ_OK && i < n; i++) {
        char field[32];
        snprintf(field, sizeof field, "items[%zu]", i);
        const char *pattern;
        char id[13 + INTEL_UUID_STRLEN];
        rc = intel_stix_pattern(&items[i], &a, &pattern, err);
        if (rc != YJ_OK) {
            yj_error_prefix_field(err, field);
            break;
        }
        char uuid[INTEL_UUID_STRLEN];
        intel_ids_next(ids, &items[i], uuid);
        snprintf(id, sizeof id, "indicator--%s", uuid);
        json_t *o = indicator_json(&items[i], id, pattern, now_ms);
        rc = o ? yj_buf_puts(out, i ? ",\n" : "\n") : YJ_ENOMEM;
        if (rc == YJ_OK &&
            json_dump_callback(o, dump_to_buf, out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
            rc = out->len + 64 > out->max ? YJ_ETOOBIG : YJ_ENOMEM;
        if (rc == YJ_OK && EVP_DigestUpdate(all, id, strlen(id)) != 1)
            rc = YJ_ENOMEM;
        json_decref(o);
        if (rc != YJ_OK)
            yj_error_set(err, rc, NULL,
                         rc == YJ_ETOOBIG ? "export over its size limit" : "out of memory");
        yj_arena_release(&a);
    }
    yj_arena_release(&a);
    return rc;
}

enum yj_err intel_stix_export(const struct intel_indicator *items, size_t n, int64_t now_ms,
                              struct yj_buf *out, struct yj_error *err)
{
    size_t len0 = out->len;
    struct intel_ids *ids = intel_ids_new(n);
    EVP_MD_CTX *all = EVP_MD_CTX_new(); /* hashes every id, for the bundle's */
    bool ok = ids && all && EVP_DigestInit_ex(all, EVP_sha256(), NULL) == 1;
    enum yj_err rc = ok ? yj_buf_puts(out, "{\"type\":\"bundle\",\"objects\":[") : YJ_ENOMEM;
    if (rc == YJ_OK)
        rc = export_objects(items, n, now_ms, ids, out, all, err);
    else
        yj_error_set(err, rc, NULL,
                     rc == YJ_ETOOBIG ? "export over its size limit" : "out of memory");
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (rc == YJ_OK && EVP_DigestFinal_ex(all, md, &mdlen) != 1)
        rc = yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    if (rc == YJ_OK) {
        char uuid[INTEL_UUID_STRLEN];
        intel_uuid5((const char *)md, mdlen, uuid);
        rc = yj_buf_printf(out, "\n],\"id\":\"bundle--%s\"}\n", uuid);
        if (rc != YJ_OK)
            yj_error_set(err, rc, NULL, "export over its size limit");
    }
    EVP_MD_CTX_free(all);
    intel_ids_free(ids);
    if (rc != YJ_OK && out->ptr) {
        out->len = len0;
        out->ptr[len0] = '\0';
    }
    return rc;
}

/*
 * intel_misp.c - MISP events and feeds in, one event out, and MISP attributes as
 * the STIX 2.1 patterns misp-stix writes. Attribute types map to indicator types
 * through one table; what MISP has no field for travels in yingji:* machine tags.
 */
#include "intel/intel_misp.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/yj.h"
#include "intel/intel_exchange.h"
#include "intel/intel_stix.h"

/* --- attribute types ---------------------------------------------------------------------- */

enum misp_kind {
    MK_IP,          /* an address or a CIDR range */
    MK_IP_SRC_PORT, /* "ip|port": the address; a source port is nothing to match on */
    MK_CC,          /* "host|port": a C&C endpoint */
    MK_DOMAIN_IP,   /* "domain|ip": both */
    MK_FILE_HASH,   /* "filename|hash": the hash, the name as description */
    MK_VALUE,       /* the value as type t */
};

static const struct misp_type {
    const char *name;
    enum misp_kind kind;
    enum intel_type t;
} misp_types[] = {
    {"ip-src", MK_IP, INTEL_IPV4},
    {"ip-dst", MK_IP, INTEL_IPV4},
    {"ip-src|port", MK_IP_SRC_PORT, INTEL_IPV4},
    {"ip-dst|port", MK_CC, INTEL_CC},
    {"hostname|port", MK_CC, INTEL_CC},
    {"domain", MK_VALUE, INTEL_DOMAIN},
    {"hostname", MK_VALUE, INTEL_DOMAIN},
    {"domain|ip", MK_DOMAIN_IP, INTEL_DOMAIN},
    {"url", MK_VALUE, INTEL_URL},
    {"uri", MK_VALUE, INTEL_URL},
    {"link", MK_VALUE, INTEL_URL},
    {"email", MK_VALUE, INTEL_EMAIL},
    {"email-src", MK_VALUE, INTEL_EMAIL},
    {"email-dst", MK_VALUE, INTEL_EMAIL},
    {"md5", MK_VALUE, INTEL_MD5},
    {"sha1", MK_VALUE, INTEL_SHA1},
    {"sha256", MK_VALUE, INTEL_SHA256},
    {"filename|md5", MK_FILE_HASH, INTEL_MD5},
    {"filename|sha1", MK_FILE_HASH, INTEL_SHA1},
    {"filename|sha256", MK_FILE_HASH, INTEL_SHA256},
    {"malware-sample", MK_FILE_HASH, INTEL_MD5},
    {"mobile-application-id", MK_VALUE, INTEL_APP},
};

static const struct misp_type *misp_type_find(const char *name)
{
    for (size_t i = 0; name && i < YJ_ARRAY_LEN(misp_types); i++)
        if (strcmp(name, misp_types[i].name) == 0)
            return &misp_types[i];
    return NULL;
}

/* An address or range by its shape. */
static enum intel_type ip_type(const char *v)
{
    bool slash = strchr(v, '/') != NULL;
    if (strchr(v, ':'))
        return slash ? INTEL_CIDR6 : INTEL_IPV6;
    return slash ? INTEL_CIDR4 : INTEL_IPV4;
}

/* --- import -------------------------------------------------------------------------------- */

struct misp_in {
    struct yj_arena *a;
    struct intel_batch *b;
    const struct intel_indicator *defaults;
    const char *prefix; /* "" or "<uuid>.json: " in a feed */
    struct yj_error *err;
    const json_t *event_tags;
    char where[128];
    const char *uuid;
};

/* What an attribute's tags said beyond its plain tags. */
struct tag_facts {
    bool tlp[2]; /* [0] the event's, [1] the attribute's */
    enum intel_tlp tlps[2];
    bool cat, conf, type;
    int certainty; /* osint:certainty, -1 none */
    enum intel_type t;
    const char *protocol;
};

static const char *jstr(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static enum yj_err in_problem(struct misp_in *in, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum yj_err in_problem(struct misp_in *in, const char *fmt, ...)
{
    char reason[YJ_ERR_MSG_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    intel_utf8_scrub(reason);
    return intel_batch_problem(in->b, in->a, in->where, in->uuid, reason, in->err);
}

static enum yj_err oom(struct misp_in *in)
{
    return yj_error_set(in->err, YJ_ENOMEM, NULL, "out of memory");
}

/* The value of a machine tag ns:key="value" (quotes optional), or NULL. */
static const char *machine_tag(struct misp_in *in, const char *tag, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(tag, prefix, n) != 0)
        return NULL;
    const char *v = tag + n;
    size_t len = strlen(v);
    if (len >= 2 && v[0] == '"' && v[len - 1] == '"')
        return yj_arena_strndup(in->a, v + 1, len - 2);
    return v;
}

static bool parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    return s && yj_parse_i64(s, lo, hi, out) == 0;
}

/* One of our own yingji:key="value" tags; false when it is none we know (kept as a tag). */
static bool yingji_tag(struct misp_in *in, const char *tag, struct intel_indicator *ind,
                       struct tag_facts *f)
{
    const char *v;
    int64_t n;
    if ((v = machine_tag(in, tag, "yingji:category=")))
        return f->cat = intel_category_parse(v, "tag", &ind->category, NULL) == YJ_OK;
    if ((v = machine_tag(in, tag, "yingji:confidence=")) && parse_int(v, 0, 100, &n))
        return ind->confidence = (int)n, f->conf = true;
    if ((v = machine_tag(in, tag, "yingji:sightings=")) && parse_int(v, 1, INT64_MAX, &n))
        return ind->sightings = n, true;
    if ((v = machine_tag(in, tag, "yingji:valid_until=")))
        return yj_time_parse(v, &ind->valid_until) == 0;
    if ((v = machine_tag(in, tag, "yingji:subdomains=")))
        return ind->subdomains = strcmp(v, "true") == 0, true;
    if ((v = machine_tag(in, tag, "yingji:protocol=")))
        return f->protocol = v, true;
    if ((v = machine_tag(in, tag, "yingji:type=")))
        return f->type = intel_type_parse(v, "tag", &f->t, NULL) == YJ_OK;
    return false;
}

/* Applies the tags of one level (0 the event's, 1 the attribute's) to ind. */
static enum yj_err apply_tags(struct misp_in *in, const json_t *tags, int level,
                              struct intel_indicator *ind, struct tag_facts *f)
{
    size_t i;
    json_t *t;
    json_array_foreach (tags, i, t) {
        const char *name = json_string_value(json_object_get(t, "name"));
        enum intel_tlp tlp;
        int64_t c;
        const char *v;
        if (!name)
            continue;
        if (strncasecmp(name, "tlp:", 4) == 0 && intel_tlp_parse(name, "tag", &tlp, NULL) == 0) {
            if (!f->tlp[level] || tlp > f->tlps[level])
                f->tlps[level] = tlp;
            f->tlp[level] = true;
            continue;
        }
        if (yingji_tag(in, name, ind, f))
            continue;
        if ((v = machine_tag(in, name, "osint:certainty=")) && parse_int(v, 0, 100, &c))
            f->certainty = (int)c;
        if (level == 1 && !f->cat && ind->category == INTEL_CAT_OTHER)
            ind->category = intel_category_of_word(name);
        const char *copy = yj_arena_strdup(in->a, name);
        if (!copy)
            return oom(in);
        /* over-long event tags were reported once for the event */
        if (!intel_tag_add(ind, copy) && (level == 1 || strlen(name) <= INTEL_TAG_MAX)) {
            enum yj_err rc = in_problem(in,
                                        "tag not imported (empty, over %d bytes, or over %d "
                                        "tags): %.120s",
                                        INTEL_TAG_MAX, INTEL_TAGS_MAX, name);
            if (rc != YJ_OK)
                return rc;
        }
    }
    return YJ_OK;
}

/* A time field: ISO 8601 text, or seconds since the epoch as text or a number (up to the
 * end of year 9999, as far as RFC 3339 can write it back). */
static int64_t misp_time(const json_t *v)
{
    const int64_t max_s = 253402300799;
    int64_t ms = 0, s = json_is_integer(v) ? json_integer_value(v) : 0;
    if (s > 0 && s <= max_s)
        return s * 1000;
    const char *t = json_string_value(v);
    if (parse_int(t, 1, max_s, &s))
        return s * 1000;
    return t && yj_time_parse(t, &ms) == 0 ? ms : 0;
}

/* Adds value raw as type t with the attribute's template; a bad value is a problem. */
static enum yj_err add_value(struct misp_in *in, const struct intel_indicator *tmpl, bool cat_fixed,
                             enum intel_type t, const char *raw)
{
    struct intel_indicator ind = *tmpl;
    struct yj_error e;
    if (intel_canonical(t, raw, "value", in->a, &ind.value, &e) != YJ_OK)
        return e.code == YJ_ENOMEM
                   ? oom(in)
                   : in_problem(in, "bad %s value %.120s: %s", intel_type_code(t), raw, e.msg);
    ind.type = t;
    if (t != INTEL_DOMAIN)
        ind.subdomains = false;
    if (!cat_fixed)
        ind.category = intel_category_of_type(t);
    return intel_batch_add(in->b, in->a, &ind, in->err);
}

/* The values of one attribute whose template is ready. */
static enum yj_err add_values(struct misp_in *in, const struct misp_type *mt, const char *value,
                              struct intel_indicator *t, bool cat_fixed, const struct tag_facts *f)
{
    if (f->type)
        return add_value(in, t, cat_fixed, f->t, value);
    if (mt->kind == MK_VALUE)
        return add_value(in, t, cat_fixed, mt->t, value);
    if (mt->kind == MK_IP)
        return add_value(in, t, cat_fixed, ip_type(value), value);
    const char *bar = strchr(value, '|');
    if (!bar)
        return in_problem(in, "%s value is not two parts joined by '|'", mt->name);
    const char *left = yj_arena_strndup(in->a, value, (size_t)(bar - value)), *right = bar + 1;
    if (!left)
        return oom(in);
    enum yj_err rc;
    switch (mt->kind) {
    case MK_IP_SRC_PORT:
        rc = add_value(in, t, cat_fixed, ip_type(left), left);
        return rc == YJ_OK ? in_problem(in, "source port %.20s of ip-src|port not imported", right)
                           : rc;
    case MK_CC: {
        const char *raw =
            yj_arena_printf(in->a, strchr(left, ':') ? "[%s]:%s%s%s" : "%s:%s%s%s", left, right,
                            f->protocol ? "/" : "", f->protocol ? f->protocol : "");
        return raw ? add_value(in, t, cat_fixed, INTEL_CC, raw) : oom(in);
    }
    case MK_DOMAIN_IP:
        rc = add_value(in, t, cat_fixed, INTEL_DOMAIN, left);
        return rc == YJ_OK ? add_value(in, t, cat_fixed, ip_type(right), right) : rc;
    case MK_FILE_HASH:
        if (!t->description && *left)
            t->description = left;
        return add_value(in, t, cat_fixed, mt->t, right);
    case MK_IP:
    case MK_VALUE:
        break;
    }
    return YJ_OK;
}

static enum yj_err import_attribute(struct misp_in *in, const json_t *attr)
{
    in->b->objects++;
    in->uuid = jstr(attr, "uuid");
    const char *type = jstr(attr, "type"), *value = jstr(attr, "value");
    const json_t *ids = json_object_get(attr, "to_ids");
    if (!json_is_object(attr) || !type || !value)
        return in_problem(in, "not a MISP attribute (no type or value)");
    if (json_is_true(json_object_get(attr, "deleted")))
        return in_problem(in, "%.60s: deleted, not imported", type);
    if (json_is_false(ids) || (json_is_string(ids) && strcmp(json_string_value(ids), "0") == 0) ||
        (json_is_integer(ids) && json_integer_value(ids) == 0))
        return in_problem(in, "%.60s: to_ids is false (not for detection), not imported", type);

    struct intel_indicator t;
    intel_template_init(&t, in->defaults);
    enum intel_category dcat = t.category;
    t.category = INTEL_CAT_OTHER;
    struct tag_facts f = {.certainty = -1};
    enum yj_err rc = apply_tags(in, in->event_tags, 0, &t, &f);
    if (rc == YJ_OK)
        rc = apply_tags(in, json_object_get(attr, "Tag"), 1, &t, &f);
    if (rc != YJ_OK)
        return rc;
    const struct misp_type *mt = misp_type_find(type);
    if (!mt && !f.type)
        return in_problem(in, "%.60s: not an indicator type, not imported", type);
    if (f.tlp[1] || f.tlp[0])
        t.tlp = f.tlps[f.tlp[1] ? 1 : 0];
    if (!f.conf && f.certainty >= 0)
        t.confidence = f.certainty;
    bool cat_fixed = f.cat || t.category != INTEL_CAT_OTHER || dcat != INTEL_CAT_OTHER;
    if (!f.cat && t.category == INTEL_CAT_OTHER)
        t.category = dcat;
    const char *comment = jstr(attr, "comment");
    if (comment && *comment && !(t.description = yj_arena_strdup(in->a, comment)))
        return oom(in);
    if (in->uuid && !(t.external_id = yj_arena_strdup(in->a, in->uuid)))
        return oom(in);
    t.first_seen = misp_time(json_object_get(attr, "first_seen"));
    if (!t.first_seen)
        t.first_seen = misp_time(json_object_get(attr, "timestamp"));
    t.last_seen = misp_time(json_object_get(attr, "last_seen"));
    return add_values(in, mt ? mt : &misp_types[0], value, &t, cat_fixed, &f);
}

/* Tags of the event that can never be an indicator's are reported once, here. */
static enum yj_err check_event_tags(struct misp_in *in)
{
    size_t i;
    json_t *t;
    enum yj_err rc = YJ_OK;
    json_array_foreach (in->event_tags, i, t) {
        const char *name = json_string_value(json_object_get(t, "name"));
        if (rc == YJ_OK && name && strlen(name) > INTEL_TAG_MAX) {
            snprintf(in->where, sizeof in->where, "%sEvent.Tag[%zu]", in->prefix, i);
            in->uuid = NULL;
            rc = in_problem(in, "tag over %d bytes not imported: %.120s", INTEL_TAG_MAX, name);
        }
    }
    return rc;
}

static enum yj_err import_event(struct misp_in *in, const char *text, size_t len, const char *field)
{
    json_t *root;
    enum yj_err rc = intel_json_load(text, len, field, &root, in->err);
    if (rc != YJ_OK)
        return rc;
    const json_t *ev = json_object_get(root, "Event");
    if (!ev && (json_object_get(root, "Attribute") || json_object_get(root, "Object")))
        ev = root; /* the event object itself, as MISP's API also returns it */
    if (!json_is_object(ev)) {
        json_decref(root);
        return yj_error_set(in->err, YJ_EINVAL, field, "not a MISP event (no Event object)");
    }
    in->event_tags = json_object_get(ev, "Tag");
    rc = check_event_tags(in);
    size_t i, j;
    json_t *attr, *obj;
    json_array_foreach (json_object_get(ev, "Attribute"), i, attr) {
        if (rc != YJ_OK)
            break;
        snprintf(in->where, sizeof in->where, "%sEvent.Attribute[%zu]", in->prefix, i);
        rc = import_attribute(in, attr);
    }
    json_array_foreach (json_object_get(ev, "Object"), i, obj) {
        json_array_foreach (json_object_get(obj, "Attribute"), j, attr) {
            if (rc != YJ_OK)
                break;
            snprintf(in->where, sizeof in->where, "%sEvent.Object[%zu].Attribute[%zu]", in->prefix,
                     i, j);
            rc = import_attribute(in, attr);
        }
    }
    json_decref(root);
    return rc;
}

static void restore(struct intel_batch *b, const struct intel_batch *saved)
{
    b->n = saved->n;
    b->n_problems = saved->n_problems;
    b->objects = saved->objects;
}

enum yj_err intel_misp_import(const char *text, size_t len, const struct intel_indicator *defaults,
                              struct yj_arena *a, struct intel_batch *b, struct yj_error *err)
{
    struct intel_batch saved = *b;
    struct misp_in in = {.a = a, .b = b, .defaults = defaults, .prefix = "", .err = err};
    enum yj_err rc = import_event(&in, text, len, "file");
    if (rc != YJ_OK)
        restore(b, &saved);
    return rc;
}

/* --- feeds -------------------------------------------------------------------------------- */

/* The whole file (malloc'd, the caller frees). YJ_ENOTFOUND when it does not exist. */
static enum yj_err read_file(const char *path, const char *field, char **out, size_t *len,
                             struct yj_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return yj_error_set(err, errno == ENOENT ? YJ_ENOTFOUND : YJ_EIO, field, "cannot read %s",
                            errno == ENOENT ? "a missing file" : "the file");
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return yj_error_set(err, YJ_EIO, field, "not a regular file");
    }
    if (st.st_size > INTEL_MISP_FILE_MAX) {
        fclose(f);
        return yj_error_set(err, YJ_ETOOBIG, field, "file over %d MiB", INTEL_MISP_FILE_MAX >> 20);
    }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n + 1);
    size_t got = buf ? fread(buf, 1, n, f) : 0;
    bool bad = ferror(f) != 0;
    fclose(f);
    if (!buf)
        return yj_error_set(err, YJ_ENOMEM, field, "out of memory");
    if (bad || got != n) {
        free(buf);
        return yj_error_set(err, YJ_EIO, field, "the file changed or could not be read");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return YJ_OK;
}

static bool is_uuid(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++)
        if ((i == 8 || i == 13 || i == 18 || i == 23) ? s[i] != '-'
                                                      : !isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int str_cmp(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static enum yj_err import_feed_event(struct misp_in *in, const char *dir, const char *uuid)
{
    char path[4096], file[64], prefix[72];
    snprintf(file, sizeof file, "%s.json", uuid);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    char *text;
    size_t len;
    enum yj_err rc = read_file(path, file, &text, &len, in->err);
    if (rc == YJ_ENOTFOUND) {
        snprintf(in->where, sizeof in->where, "manifest.json");
        in->uuid = uuid;
        return in_problem(in, "event file %s missing", file);
    }
    if (rc != YJ_OK)
        return rc;
    snprintf(prefix, sizeof prefix, "%s: ", file);
    in->prefix = prefix;
    rc = import_event(in, text, len, file);
    in->prefix = "";
    free(text);
    return rc;
}

static enum yj_err import_feed(struct misp_in *in, const char *dir, json_t *manifest)
{
    if (!json_is_object(manifest))
        return yj_error_set(in->err, YJ_EINVAL, "manifest.json",
                            "not a MISP feed manifest (no object of events)");
    size_t n = json_object_size(manifest), k = 0;
    if (n > INTEL_MISP_FEED_EVENTS_MAX)
        return yj_error_set(in->err, YJ_ETOOBIG, "manifest.json", "more than %d events",
                            INTEL_MISP_FEED_EVENTS_MAX);
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    if (!keys)
        return oom(in);
    const char *key;
    json_t *v;
    json_object_foreach (manifest, key, v) {
        keys[k++] = key;
    }
    qsort(keys, n, sizeof *keys, str_cmp); /* the order of the feed, whatever the file's */
    enum yj_err rc = YJ_OK;
    for (k = 0; rc == YJ_OK && k < n; k++) {
        if (is_uuid(keys[k])) {
            rc = import_feed_event(in, dir, keys[k]);
            continue;
        }
        snprintf(in->where, sizeof in->where, "manifest.json");
        in->uuid = NULL;
        rc = in_problem(in, "manifest key %.60s is not an event uuid", keys[k]);
    }
    free(keys);
    return rc;
}

enum yj_err intel_misp_feed_import(const char *dir, const struct intel_indicator *defaults,
                                   struct yj_arena *a, struct intel_batch *b, struct yj_error *err)
{
    struct intel_batch saved = *b;
    struct misp_in in = {.a = a, .b = b, .defaults = defaults, .prefix = "", .err = err};
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    char *text;
    size_t len;
    json_t *manifest = NULL;
    enum yj_err rc = read_file(path, "manifest.json", &text, &len, err);
    if (rc == YJ_ENOTFOUND)
        rc = yj_error_set(err, YJ_EIO, "manifest.json", "no manifest.json in the feed directory");
    if (rc == YJ_OK) {
        rc = intel_json_load(text, len, "manifest.json", &manifest, err);
        free(text);
    }
    if (rc == YJ_OK)
        rc = import_feed(&in, dir, manifest);
    json_decref(manifest);
    if (rc != YJ_OK)
        restore(b, &saved);
    return rc;
}

/* --- export --------------------------------------------------------------------------------- */

/* The MISP type, category and value of an indicator; *type_tag when MISP has no type for it. */
static const char *misp_type_of(const struct intel_indicator *ind, struct yj_arena *a,
                                const char **category, const char **value, bool *type_tag)
{
    *category = "Network activity";
    *value = ind->value;
    *type_tag = false;
    switch (ind->type) {
    case INTEL_IPV4:
    case INTEL_IPV6:
    case INTEL_CIDR4:
    case INTEL_CIDR6:
        return "ip-dst";
    case INTEL_DOMAIN:
        return "domain";
    case INTEL_URL:
        return "url";
    case INTEL_EMAIL:
        *category = "Payload delivery";
        return "email";
    case INTEL_MD5:
    case INTEL_SHA1:
    case INTEL_SHA256:
        *category = "Payload delivery";
        return intel_type_code(ind->type);
    case INTEL_CC: {
        /* "host:port[/proto]" -> "host|port", the protocol in a tag */
        const char *v = ind->value;
        bool v6 = v[0] == '[';
        const char *colon = v6 ? strstr(v, "]:") : strrchr(v, ':');
        if (!colon)
            return NULL;
        const char *slash = strchr(colon, '/');
        size_t plen = slash ? (size_t)(slash - colon - 1 - v6) : strlen(colon + 1 + v6);
        *value = yj_arena_printf(a, "%.*s|%.*s", (int)(colon - v - v6), v + v6, (int)plen,
                                 colon + 1 + v6);
        bool host_ip = v6 || strspn(v, "0123456789.") == (size_t)(colon - v);
        return host_ip ? "ip-dst|port" : "hostname|port";
    }
    case INTEL_APP:
        if (!strchr(ind->value, '|')) {
            *category = "Payload installation";
            return "mobile-application-id";
        }
        break;
    case INTEL_SM3:
    case INTEL_TYPE__COUNT:
        break;
    }
    *category = "Other";
    *type_tag = true;
    return "text";
}

static void add_tag_json(json_t *tags, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_tag_json(json_t *tags, const char *fmt, ...)
{
    char name[INTEL_TAG_MAX + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    json_array_append_new(tags, json_pack("{ss}", "name", name));
}

static json_t *attribute_json(const struct intel_indicator *ind, const char *uuid,
                              struct yj_arena *a)
{
    const char *category, *value;
    bool type_tag;
    const char *type = misp_type_of(ind, a, &category, &value, &type_tag);
    if (!type || !value)
        return NULL;
    json_t *o = json_object(), *tags = json_array();
    if (!o || !tags) {
        json_decref(o);
        json_decref(tags);
        return NULL;
    }
    char ts[YJ_TIME_STRLEN], secs[24];
    json_object_set_new(o, "uuid", json_string(uuid));
    json_object_set_new(o, "type", json_string(type));
    json_object_set_new(o, "category", json_string(category));
    json_object_set_new(o, "value", json_string(value));
    json_object_set_new(o, "to_ids", json_true());
    json_object_set_new(o, "comment", json_string(ind->description ? ind->description : ""));
    if (ind->first_seen) {
        snprintf(secs, sizeof secs, "%lld", (long long)(ind->first_seen / 1000));
        json_object_set_new(o, "timestamp", json_string(secs));
        yj_time_format(ind->first_seen, ts);
        json_object_set_new(o, "first_seen", json_string(ts));
    }
    if (ind->last_seen) {
        yj_time_format(ind->last_seen, ts);
        json_object_set_new(o, "last_seen", json_string(ts));
    }
    add_tag_json(tags, "tlp:%s", intel_tlp_code(ind->tlp));
    for (size_t k = 0; k < ind->n_tags; k++)
        add_tag_json(tags, "%s", ind->tags[k]);
    add_tag_json(tags, "yingji:category=\"%s\"", intel_category_code(ind->category));
    add_tag_json(tags, "yingji:confidence=\"%d\"", ind->confidence);
    add_tag_json(tags, "yingji:sightings=\"%lld\"", (long long)ind->sightings);
    if (ind->valid_until) {
        yj_time_format(ind->valid_until, ts);
        add_tag_json(tags, "yingji:valid_until=\"%s\"", ts);
    }
    if (ind->subdomains && ind->type == INTEL_DOMAIN)
        add_tag_json(tags, "yingji:subdomains=\"true\"");
    const char *slash = ind->type == INTEL_CC ? strchr(strrchr(ind->value, ':'), '/') : NULL;
    if (slash)
        add_tag_json(tags, "yingji:protocol=\"%s\"", slash + 1);
    if (type_tag)
        add_tag_json(tags, "yingji:type=\"%s\"", intel_type_code(ind->type));
    json_object_set_new(o, "Tag", tags);
    return o;
}

static int dump_to_buf(const char *s, size_t n, void *data)
{
    return yj_buf_append(data, s, n) == YJ_OK ? 0 : -1;
}

static enum yj_err export_attributes(const struct intel_indicator *items, size_t n,
                                     struct intel_ids *ids, struct yj_buf *out, struct yj_buf *all,
                                     enum intel_tlp *max_tlp, struct yj_error *err)
{
    struct yj_arena a;
    yj_arena_init(&a, 0);
    enum yj_err rc = YJ_OK;
    for (size_t i = 0; rc == YJ_OK && i < n; i++) {
        char uuid[INTEL_UUID_STRLEN];
        if (!items[i].value || (unsigned)items[i].type >= INTEL_TYPE__COUNT ||
            (items[i].type == INTEL_CC && !strchr(items[i].value, ':'))) {
            rc = yj_error_set(err, YJ_EINVAL, "value", "indicator without a type and value");
            char field[32];
            snprintf(field, sizeof field, "items[%zu]", i);
            yj_error_prefix_field(err, field);
            break;
        }
        intel_ids_next(ids, &items[i], uuid);
        if (items[i].tlp > *max_tlp && (unsigned)items[i].tlp < INTEL_TLP__COUNT)
            *max_tlp = items[i].tlp;
        json_t *o = attribute_json(&items[i], uuid, &a);
        rc = o ? yj_buf_puts(out, i ? ",\n" : "\n") : YJ_ENOMEM;
        if (rc == YJ_OK &&
            json_dump_callback(o, dump_to_buf, out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0)
            rc = out->len + 64 > out->max ? YJ_ETOOBIG : YJ_ENOMEM;
        if (rc == YJ_OK)
            rc = yj_buf_puts(all, uuid) == YJ_OK ? YJ_OK : YJ_ENOMEM;
        json_decref(o);
        if (rc != YJ_OK)
            yj_error_set(err, rc, NULL,
                         rc == YJ_ETOOBIG ? "export over its size limit" : "out of memory");
        yj_arena_release(&a);
    }
    yj_arena_release(&a);
    return rc;
}

enum yj_err intel_misp_export(const struct intel_indicator *items, size_t n, const char *info,
                              int64_t now_ms, struct yj_buf *out, struct yj_error *err)
{
    size_t len0 = out->len;
    struct intel_ids *ids = intel_ids_new(n);
    struct yj_buf all; /* the attributes' uuids, for the event's */
    yj_buf_init(&all, (size_t)37 * n + 1);
    json_t *head = json_pack("{ss}", "info", info ? info : "yingji export");
    char date[11], secs[24];
    yj_date_cst(now_ms, date);
    snprintf(secs, sizeof secs, "%lld", (long long)(now_ms / 1000));
    enum yj_err rc = ids && head ? YJ_OK : YJ_ENOMEM;
    char *h = NULL;
    if (rc == YJ_OK) {
        json_object_set_new(head, "date", json_string(date));
        json_object_set_new(head, "timestamp", json_string(secs));
        json_object_set_new(head, "threat_level_id", json_string("2"));
        json_object_set_new(head, "analysis", json_string("2"));
        json_object_set_new(head, "distribution", json_string("0"));
        json_object_set_new(head, "published", json_false());
        h = json_dumps(head, JSON_COMPACT | JSON_PRESERVE_ORDER);
        rc = h ? yj_buf_printf(out, "{\"Event\":%.*s,\"Attribute\":[", (int)strlen(h) - 1, h)
               : YJ_ENOMEM;
    }
    enum intel_tlp max_tlp = INTEL_TLP_CLEAR;
    if (rc == YJ_OK)
        rc = export_attributes(items, n, ids, out, &all, &max_tlp, err);
    else
        yj_error_set(err, rc, NULL,
                     rc == YJ_ETOOBIG ? "export over its size limit" : "out of memory");
    if (rc == YJ_OK) {
        char uuid[INTEL_UUID_STRLEN];
        intel_uuid5(all.ptr ? all.ptr : "", all.len, uuid);
        rc = yj_buf_printf(out, "\n],\"Tag\":[{\"name\":\"tlp:%s\"}],\"uuid\":\"%s\"}}\n",
                           intel_tlp_code(max_tlp), uuid);
        if (rc != YJ_OK)
            yj_error_set(err, rc, NULL, "export over its size limit");
    }
    free(h);
    json_decref(head);
    yj_buf_release(&all);
    intel_ids_free(ids);
    if (rc != YJ_OK && out->ptr) {
        out->len = len0;
        out->ptr[len0] = '\0';
    }
    return rc;
}

/* --- MISP attribute -> STIX 2.1 pattern ---------------------------------------------------- */

enum part { P_ALL, P_LEFT, P_RIGHT, P_KIND };

/* misp-stix's patterns (documentation/mapping), for the types the importer maps. */
static const struct {
    const char *type;
    struct {
        const char *path;
        enum part part;
    } cmp[3];
} conversions[] = {
    {"domain", {{"domain-name:value", P_ALL}}},
    {"hostname", {{"domain-name:value", P_ALL}}},
    {"domain|ip",
     {{"domain-name:value", P_LEFT}, {"domain-name:resolves_to_refs[*].value", P_RIGHT}}},
    {"hostname|port", {{"domain-name:value", P_LEFT}, {"network-traffic:dst_port", P_RIGHT}}},
    {"ip-src",
     {{"network-traffic:src_ref.type", P_KIND}, {"network-traffic:src_ref.value", P_ALL}}},
    {"ip-dst",
     {{"network-traffic:dst_ref.type", P_KIND}, {"network-traffic:dst_ref.value", P_ALL}}},
    {"ip-src|port",
     {{"network-traffic:src_ref.type", P_KIND},
      {"network-traffic:src_ref.value", P_LEFT},
      {"network-traffic:src_port", P_RIGHT}}},
    {"ip-dst|port",
     {{"network-traffic:dst_ref.type", P_KIND},
      {"network-traffic:dst_ref.value", P_LEFT},
      {"network-traffic:dst_port", P_RIGHT}}},
    {"url", {{"url:value", P_ALL}}},
    {"uri", {{"url:value", P_ALL}}},
    {"link", {{"url:value", P_ALL}}},
    {"email", {{"email-addr:value", P_ALL}}},
    {"email-src", {{"email-message:from_ref.value", P_ALL}}},
    {"email-dst", {{"email-message:to_refs[*].value", P_ALL}}},
    {"md5", {{"file:hashes.MD5", P_ALL}}},
    {"sha1", {{"file:hashes.'SHA-1'", P_ALL}}},
    {"sha256", {{"file:hashes.'SHA-256'", P_ALL}}},
    {"filename|md5", {{"file:name", P_LEFT}, {"file:hashes.MD5", P_RIGHT}}},
    {"filename|sha1", {{"file:name", P_LEFT}, {"file:hashes.'SHA-1'", P_RIGHT}}},
    {"filename|sha256", {{"file:name", P_LEFT}, {"file:hashes.'SHA-256'", P_RIGHT}}},
};

enum yj_err intel_misp_attr_pattern(const char *type, const char *value, struct yj_arena *a,
                                    const char **out, struct yj_error *err)
{
    size_t k = 0;
    while (k < YJ_ARRAY_LEN(conversions) && (!type || strcmp(type, conversions[k].type) != 0))
        k++;
    if (k == YJ_ARRAY_LEN(conversions))
        return yj_error_set(err, YJ_EINVAL, "type", "no STIX pattern for this MISP type");
    if (!value)
        return yj_error_set(err, YJ_EINVAL, "value", "missing value");
    const char *bar = strchr(value, '|');
    bool pair = strchr(type, '|') != NULL;
    if (pair && !bar)
        return yj_error_set(err, YJ_EINVAL, "value", "not two parts joined by '|'");
    size_t left = pair ? (size_t)(bar - value) : strlen(value);
    const char *kind = memchr(value, ':', left) ? "ipv6-addr" : "ipv4-addr";
    struct yj_buf o;
    yj_buf_init(&o, INTEL_STIX_PATTERN_MAX);
    enum yj_err rc = yj_buf_puts(&o, "[");
    for (size_t c = 0; rc == YJ_OK && c < 3 && conversions[k].cmp[c].path; c++) {
        enum part p = conversions[k].cmp[c].part;
        const char *s = p == P_KIND ? kind : p == P_RIGHT ? bar + 1 : value;
        size_t n = p == P_KIND    ? strlen(kind)
                   : p == P_RIGHT ? strlen(bar + 1)
                   : p == P_LEFT  ? left
                                  : strlen(value);
        rc = yj_buf_printf(&o, "%s%s = ", c ? " AND " : "", conversions[k].cmp[c].path);
        if (rc == YJ_OK)
            rc = intel_stix_string(&o, s, n);
    }
    if (rc == YJ_OK)
        rc = yj_buf_puts(&o, "]");
    const char *s = rc == YJ_OK ? yj_arena_strdup(a, o.ptr) : NULL;
    yj_buf_release(&o);
    if (!s)
        return yj_error_set(err, rc == YJ_ETOOBIG ? YJ_ETOOBIG : YJ_ENOMEM, "value",
                            rc == YJ_ETOOBIG ? "pattern too long" : "out of memory");
    *out = s;
    return YJ_OK;
}

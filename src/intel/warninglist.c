/*
 * warninglist.c - MISP warning lists loaded into one matcher: "cidr" and
 * "hostname" entries go into an intel_lookup (the list's index as the id, so a
 * query answers which lists cover a value), "string" and "substring" entries are
 * kept per list, lower-cased, the former sorted for binary search.
 */
#include "intel/warninglist.h"

#include <dirent.h>
#include <jansson.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/yj.h"
#include "intel/lookup.h"

struct wl {
    struct intel_warninglist info;
    char **strings; /* string and substring lists: lower case; string lists sorted */
    size_t n_strings;
};

struct intel_warninglists {
    struct wl *lists;
    size_t n, cap;
    struct intel_lookup *lk;
    bool finished;
};

/* A list file bigger than this is no warning list (the largest MISP ships is ~10 MB). */
enum { WL_FILE_MAX = 64 * 1024 * 1024 };

static const char *const wl_types[INTEL_WL__COUNT] = {
    [INTEL_WL_CIDR] = "cidr",     [INTEL_WL_HOSTNAME] = "hostname",
    [INTEL_WL_STRING] = "string", [INTEL_WL_SUBSTRING] = "substring",
    [INTEL_WL_REGEX] = "regex",
};

const char *intel_wl_type_code(enum intel_wl_type t)
{
    return (unsigned)t < INTEL_WL__COUNT ? wl_types[t] : "unknown";
}

struct intel_warninglists *intel_warninglists_new(void)
{
    struct intel_warninglists *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->lk = intel_lookup_new();
    if (!w->lk) {
        free(w);
        return NULL;
    }
    return w;
}

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s + 32);
}

/* A cidr entry: an address or a range of either family. */
static bool add_cidr(struct intel_lookup *lk, size_t id, const char *e)
{
    bool v6 = strchr(e, ':') != NULL, range = strchr(e, '/') != NULL;
    enum intel_type t =
        v6 ? (range ? INTEL_CIDR6 : INTEL_IPV6) : (range ? INTEL_CIDR4 : INTEL_IPV4);
    return intel_lookup_add(lk, (int64_t)id, t, e, false, 0, NULL) == YJ_OK;
}

/* A hostname entry ("example.com", ".example.com", "*.example.com", "Example.com."):
 * the domain and its subdomains; an address there is matched as an address. Entries
 * need not be full domains (lists carry suffixes like "local"), so only non-ASCII
 * ones go through intel_canonical, for their A-labels. */
static bool add_hostname(struct intel_lookup *lk, size_t id, const char *e, struct yj_arena *a)
{
    if (strncmp(e, "*.", 2) == 0)
        e += 2;
    else if (e[0] == '.')
        e++;
    char *d = yj_arena_strdup(a, e);
    if (!d)
        return false;
    lower(d);
    size_t n = strlen(d);
    if (n > 0 && d[n - 1] == '.')
        d[--n] = '\0';
    if (n == 0)
        return false;
    if (intel_lookup_add(lk, (int64_t)id, strchr(d, ':') ? INTEL_IPV6 : INTEL_IPV4, d, false, 0,
                         NULL) == YJ_OK)
        return true;
    for (const char *p = d; *p; p++)
        if ((unsigned char)*p >= 0x80) {
            const char *canon;
            if (intel_canonical(INTEL_DOMAIN, d, "list", a, &canon, NULL) != YJ_OK)
                return false;
            d = (char *)(uintptr_t)canon;
            break;
        }
    return intel_lookup_add(lk, (int64_t)id, INTEL_DOMAIN, d, true, 0, NULL) == YJ_OK;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Checks the whole document first, so that a refused list leaves nothing behind. */
static enum yj_err wl_check(json_t *root, const char *where, enum intel_wl_type *type,
                            struct yj_error *err)
{
    if (!json_is_object(root))
        return yj_error_set(err, YJ_EINVAL, NULL, "%s: not a JSON object", where);
    const char *name = json_string_value(json_object_get(root, "name"));
    if (!name || !*name)
        return yj_error_set(err, YJ_EINVAL, "name", "%s: no list name", where);
    const char *t = json_string_value(json_object_get(root, "type"));
    int i = 0;
    while (t && i < INTEL_WL__COUNT && strcmp(t, wl_types[i]) != 0)
        i++;
    if (!t || i == INTEL_WL__COUNT)
        return yj_error_set(err, YJ_EINVAL, "type", "%s: unknown list type", where);
    *type = (enum intel_wl_type)i;
    json_t *list = json_object_get(root, "list");
    if (!json_is_array(list))
        return yj_error_set(err, YJ_EINVAL, "list", "%s: no list of entries", where);
    size_t idx;
    json_t *v;
    json_array_foreach (list, idx, v) {
        if (!json_is_string(v)) {
            char field[32];
            snprintf(field, sizeof field, "list[%zu]", idx);
            return yj_error_set(err, YJ_EINVAL, field, "%s: entry is not a string", where);
        }
    }
    return YJ_OK;
}

/* The string or substring entries of a list, lower-cased; empty ones skipped (an
 * empty substring would cover everything). */
static bool wl_strings(struct wl *l, json_t *list)
{
    size_t n = json_array_size(list);
    l->strings = calloc(n ? n : 1, sizeof *l->strings);
    if (!l->strings)
        return false;
    size_t idx;
    json_t *v;
    json_array_foreach (list, idx, v) {
        if (json_string_length(v) == 0) {
            l->info.skipped++;
            continue;
        }
        char *s = strdup(json_string_value(v));
        if (!s)
            return false;
        lower(s);
        l->strings[l->n_strings++] = s;
    }
    if (l->info.type == INTEL_WL_STRING && l->n_strings > 1)
        qsort(l->strings, l->n_strings, sizeof *l->strings, str_cmp);
    return true;
}

static bool wl_entries(struct intel_warninglists *w, struct wl *l, json_t *list)
{
    if (l->info.type == INTEL_WL_STRING || l->info.type == INTEL_WL_SUBSTRING)
        return wl_strings(l, list);
    if (l->info.type == INTEL_WL_REGEX)
        return true;
    struct yj_arena a;
    yj_arena_init(&a, 0);
    size_t idx;
    json_t *v;
    json_array_foreach (list, idx, v) {
        const char *e = json_string_value(v);
        bool ok = l->info.type == INTEL_WL_CIDR ? add_cidr(w->lk, w->n, e)
                                                : add_hostname(w->lk, w->n, e, &a);
        l->info.skipped += !ok;
    }
    yj_arena_release(&a);
    return true;
}

static void wl_release(struct wl *l)
{
    free((char *)(uintptr_t)l->info.name);
    free((char *)(uintptr_t)l->info.description);
    for (size_t i = 0; i < l->n_strings; i++)
        free(l->strings[i]);
    free(l->strings);
}

enum yj_err intel_warninglists_load_json(struct intel_warninglists *w, const char *json, size_t len,
                                         const char *where, struct yj_error *err)
{
    if (w->finished)
        return yj_error_set(err, YJ_EINVAL, NULL, "warning lists already finished");
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return yj_error_set(err, YJ_EINVAL, where, "malformed JSON at line %d column %d: %s",
                            je.line, je.column, je.text);
    enum intel_wl_type type = INTEL_WL_REGEX;
    enum yj_err rc = wl_check(root, where, &type, err);
    if (rc != YJ_OK) {
        json_decref(root);
        return rc;
    }
    if (w->n == w->cap) {
        size_t ncap = w->cap ? w->cap * 2 : 8;
        struct wl *p = realloc(w->lists, ncap * sizeof *p);
        if (!p) {
            json_decref(root);
            return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
        }
        w->lists = p;
        w->cap = ncap;
    }
    struct wl *l = &w->lists[w->n];
    memset(l, 0, sizeof *l);
    json_t *list = json_object_get(root, "list");
    const char *desc = json_string_value(json_object_get(root, "description"));
    json_t *ver = json_object_get(root, "version");
    l->info.type = type;
    l->info.supported = type != INTEL_WL_REGEX;
    l->info.entries = json_array_size(list);
    l->info.version = json_is_integer(ver) ? (long)json_integer_value(ver) : 0;
    l->info.name = strdup(json_string_value(json_object_get(root, "name")));
    l->info.description = strdup(desc ? desc : "");
    bool ok = l->info.name && l->info.description && wl_entries(w, l, list);
    json_decref(root);
    if (!ok) {
        wl_release(l);
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    w->n++;
    return YJ_OK;
}

enum yj_err intel_warninglists_load_file(struct intel_warninglists *w, const char *path,
                                         struct yj_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return yj_error_set(err, YJ_EIO, path, "cannot open the warning list");
    struct yj_buf b;
    yj_buf_init(&b, WL_FILE_MAX);
    char chunk[65536];
    size_t n;
    enum yj_err rc = YJ_OK;
    while (rc == YJ_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = yj_buf_append(&b, chunk, n);
    if (rc == YJ_OK && ferror(f))
        rc = YJ_EIO;
    fclose(f);
    if (rc == YJ_OK)
        rc = intel_warninglists_load_json(w, b.ptr ? b.ptr : "", b.len, path, err);
    else
        rc = yj_error_set(err, rc, path, "cannot read the warning list");
    yj_buf_release(&b);
    return rc;
}

static int visible(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

enum yj_err intel_warninglists_load_dir(struct intel_warninglists *w, const char *dir,
                                        struct yj_error *err)
{
    struct dirent **names;
    int n = scandir(dir, &names, visible, alphasort);
    if (n < 0)
        return yj_error_set(err, YJ_EIO, dir, "cannot read the directory");
    enum yj_err rc = YJ_OK;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        size_t len = strlen(name);
        char path[4096];
        struct stat st;
        if (rc == YJ_OK && len > 5 && strcmp(name + len - 5, ".json") == 0) {
            snprintf(path, sizeof path, "%s/%s", dir, name);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
                rc = intel_warninglists_load_file(w, path, err);
        } else if (rc == YJ_OK) {
            snprintf(path, sizeof path, "%s/%s/list.json", dir, name);
            if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
                rc = intel_warninglists_load_file(w, path, err);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

enum yj_err intel_warninglists_finish(struct intel_warninglists *w, struct yj_error *err)
{
    enum yj_err rc = intel_lookup_finish(w->lk, err);
    if (rc == YJ_OK)
        w->finished = true;
    return rc;
}

/* The lowest list index the lookup answers for value, or SIZE_MAX. */
static size_t lookup_first(const struct intel_warninglists *w, enum intel_type t, const char *value)
{
    struct intel_lookup_hit hits[32];
    size_t n = intel_lookup_find(w->lk, t, value, 0, hits, 32);
    struct intel_lookup_hit *all = hits;
    if (n > 32) { /* rare: many lists cover it; take them all to find the first */
        all = malloc(n * sizeof *all);
        if (!all)
            all = hits, n = 32;
        else
            n = intel_lookup_find(w->lk, t, value, 0, all, n);
    }
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        if ((size_t)all[i].id < best)
            best = (size_t)all[i].id;
    if (all != hits)
        free(all);
    return best;
}

/* A C&C endpoint's host ("[v6]:port/proto", "host:port/proto") as an IP or domain. */
static size_t cc_first(const struct intel_warninglists *w, const char *cc)
{
    char host[INTEL_VALUE_MAX + 1];
    size_t n = strcspn(cc, "/");
    if (n > INTEL_VALUE_MAX)
        return SIZE_MAX;
    memcpy(host, cc, n);
    host[n] = '\0';
    if (host[0] == '[') {
        char *rb = strchr(host, ']');
        if (!rb)
            return SIZE_MAX;
        *rb = '\0';
        return lookup_first(w, INTEL_IPV6, host + 1);
    }
    char *colon = strrchr(host, ':');
    if (colon)
        *colon = '\0';
    size_t best = lookup_first(w, INTEL_IPV4, host);
    return best != SIZE_MAX ? best : lookup_first(w, INTEL_DOMAIN, host);
}

static bool strings_match(const struct wl *l, const char *low)
{
    if (l->info.type == INTEL_WL_STRING) {
        const char *key = low;
        return bsearch(&key, l->strings, l->n_strings, sizeof *l->strings, str_cmp) != NULL;
    }
    for (size_t i = 0; i < l->n_strings; i++)
        if (strstr(low, l->strings[i]))
            return true;
    return false;
}

const struct intel_warninglist *intel_warninglists_match(const struct intel_warninglists *w,
                                                         enum intel_type t, const char *value)
{
    if (!w || !w->finished || !value || strlen(value) > INTEL_VALUE_MAX)
        return NULL;
    size_t best = SIZE_MAX;
    switch (t) {
    case INTEL_IPV4:
    case INTEL_IPV6:
    case INTEL_CIDR4:
    case INTEL_CIDR6:
    case INTEL_DOMAIN:
    case INTEL_URL:
        best = lookup_first(w, t, value);
        break;
    case INTEL_EMAIL: {
        const char *at = strrchr(value, '@');
        if (at)
            best = lookup_first(w, INTEL_DOMAIN, at + 1);
        break;
    }
    case INTEL_CC:
        best = cc_first(w, value);
        break;
    default:
        break;
    }
    char low[INTEL_VALUE_MAX + 1];
    snprintf(low, sizeof low, "%s", value);
    lower(low);
    for (size_t i = 0; i < w->n && i < best; i++)
        if (strings_match(&w->lists[i], low)) {
            best = i;
            break;
        }
    return best < w->n ? &w->lists[best].info : NULL;
}

size_t intel_warninglists_count(const struct intel_warninglists *w)
{
    return w->n;
}

const struct intel_warninglist *intel_warninglists_get(const struct intel_warninglists *w, size_t i)
{
    return i < w->n ? &w->lists[i].info : NULL;
}

void intel_warninglists_free(struct intel_warninglists *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++)
        wl_release(&w->lists[i]);
    free(w->lists);
    intel_lookup_free(w->lk);
    free(w);
}

/*
 * intel_exchange.c - the helpers every importer and exporter shares: the JSON
 * loader with its depth limit, indicator templates, categories from types and
 * words, tags, and name-based UUIDs for stable ids.
 */
#include "intel/intel_exchange.h"

#include <ctype.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <strings.h>

#include "core/yj.h"

/* The first place the text nests deeper than the limit (outside strings), or 0. */
static bool json_too_deep(const char *s, size_t len, int *line, int *col)
{
    int depth = 0;
    bool in_str = false, esc = false;
    *line = 1;
    *col = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '\n') {
            (*line)++;
            *col = 0;
        } else if (((unsigned char)c & 0xc0) != 0x80) {
            (*col)++; /* columns count characters, as jansson's do */
        }
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > INTEL_JSON_DEPTH_MAX)
                return true;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return false;
}

/* The length of the valid UTF-8 sequence at s (1..4), or 0. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    uint32_t cp = c & (0x7fu >> len);
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[k] & 0x3fu);
    }
    static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (!len || cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

void intel_utf8_scrub(char *s)
{
    unsigned char *in = (unsigned char *)s, *out = in;
    while (*in) {
        size_t n = utf8_seq(in);
        if (!n) {
            in++;
            continue;
        }
        memmove(out, in, n);
        out += n;
        in += n;
    }
    *out = '\0';
}

enum yj_err intel_json_load(const char *text, size_t len, const char *field, struct json_t **out,
                            struct yj_error *err)
{
    *out = NULL;
    int line, col;
    if (json_too_deep(text, len, &line, &col))
        return yj_error_set(err, YJ_EINVAL, field, "nested deeper than %d at line %d, column %d",
                            INTEL_JSON_DEPTH_MAX, line, col);
    json_error_t jerr;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!j) {
        enum json_error_code code = json_error_code(&jerr);
        if (code == json_error_out_of_memory)
            return yj_error_set(err, YJ_ENOMEM, field, "out of memory");
        const char *what = code == json_error_invalid_utf8             ? "invalid UTF-8"
                           : code == json_error_duplicate_key          ? "duplicate key"
                           : code == json_error_premature_end_of_input ? "truncated JSON"
                                                                       : "malformed JSON";
        yj_error_set(err, YJ_EINVAL, field, "%s at line %d, column %d: %s", what, jerr.line,
                     jerr.column, jerr.text);
        if (err) /* jansson quotes the input near the error, which may not be text */
            intel_utf8_scrub(err->msg);
        return YJ_EINVAL;
    }
    *out = j;
    return YJ_OK;
}

void intel_template_init(struct intel_indicator *ind, const struct intel_indicator *defaults)
{
    if (defaults) {
        *ind = *defaults;
    } else {
        memset(ind, 0, sizeof *ind);
        ind->category = INTEL_CAT_OTHER;
        ind->tlp = INTEL_TLP_AMBER;
        ind->confidence = 50;
    }
    if (ind->sightings < 1)
        ind->sightings = 1;
}

enum intel_category intel_category_of_type(enum intel_type t)
{
    switch (t) {
    case INTEL_IPV4:
    case INTEL_IPV6:
    case INTEL_CIDR4:
    case INTEL_CIDR6:
        return INTEL_CAT_MALICIOUS_IP;
    case INTEL_DOMAIN:
        return INTEL_CAT_MALICIOUS_DOMAIN;
    case INTEL_URL:
        return INTEL_CAT_MALICIOUS_URL;
    case INTEL_EMAIL:
        return INTEL_CAT_MALICIOUS_MESSAGE;
    case INTEL_CC:
        return INTEL_CAT_BOTNET;
    case INTEL_MD5:
    case INTEL_SHA1:
    case INTEL_SHA256:
    case INTEL_SM3:
    case INTEL_APP:
        return INTEL_CAT_MALWARE;
    case INTEL_TYPE__COUNT:
        break;
    }
    return INTEL_CAT_OTHER;
}

enum intel_category intel_category_of_word(const char *word)
{
    static const struct {
        const char *word;
        enum intel_category c;
    } words[] = {
        {"phishing", INTEL_CAT_PHISHING},
        {"phish", INTEL_CAT_PHISHING},
        {"botnet", INTEL_CAT_BOTNET},
        {"bot", INTEL_CAT_BOTNET},
        {"c2", INTEL_CAT_BOTNET},
        {"c&c", INTEL_CAT_BOTNET},
        {"cnc", INTEL_CAT_BOTNET},
        {"trojan", INTEL_CAT_BOTNET},
        {"worm", INTEL_CAT_BOTNET},
        {"rat", INTEL_CAT_BOTNET},
        {"backdoor", INTEL_CAT_BOTNET},
        {"compromised", INTEL_CAT_EVENT},
        {"defacement", INTEL_CAT_EVENT},
        {"leak", INTEL_CAT_EVENT},
        {"malware", INTEL_CAT_MALWARE},
        {"ransomware", INTEL_CAT_MALWARE},
        {"virus", INTEL_CAT_MALWARE},
        {"spyware", INTEL_CAT_MALWARE},
        {"vulnerability", INTEL_CAT_HAZARD},
    };
    if (!word)
        return INTEL_CAT_OTHER;
    if (strcasestr(word, "command-and-control"))
        return INTEL_CAT_BOTNET;
    /* whole tokens only: "bot" is no botnet inside "robot" */
    for (const char *p = word; *p;) {
        size_t n = 0;
        while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '&'))
            n++;
        for (size_t i = 0; n && i < YJ_ARRAY_LEN(words); i++)
            if (strlen(words[i].word) == n && strncasecmp(p, words[i].word, n) == 0)
                return words[i].c;
        p += n ? n : 1;
    }
    return INTEL_CAT_OTHER;
}

bool intel_tag_add(struct intel_indicator *ind, const char *tag)
{
    if (!tag || !*tag || strlen(tag) > INTEL_TAG_MAX)
        return false;
    for (size_t i = 0; i < ind->n_tags; i++)
        if (strcmp(ind->tags[i], tag) == 0)
            return true;
    if (ind->n_tags >= INTEL_TAGS_MAX)
        return false;
    ind->tags[ind->n_tags++] = tag;
    return true;
}

void intel_uuid5(const char *name, size_t len, char *out)
{
    static const unsigned char ns[16] = {0xf7, 0x7d, 0xbe, 0x6d, 0xbb, 0x74, 0x49, 0xab,
                                         0xaf, 0xe2, 0xf6, 0x09, 0x93, 0x8f, 0x28, 0x56};
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    bool ok = c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
              EVP_DigestUpdate(c, ns, sizeof ns) == 1 && EVP_DigestUpdate(c, name, len) == 1 &&
              EVP_DigestFinal_ex(c, md, &mdlen) == 1;
    EVP_MD_CTX_free(c);
    if (!ok) /* only when OpenSSL cannot allocate: the id is still well-formed */
        memset(md, 0, sizeof md);
    md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
    md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
    char hex[33];
    yj_hex(md, 16, hex);
    snprintf(out, INTEL_UUID_STRLEN, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
             hex + 20);
}

struct intel_ids {
    const struct intel_indicator **keys;
    size_t *counts;
    size_t mask;
};

struct intel_ids *intel_ids_new(size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n && cap < SIZE_MAX / 4)
        cap *= 2;
    struct intel_ids *t = calloc(1, sizeof *t);
    if (t) {
        t->keys = calloc(cap, sizeof *t->keys);
        t->counts = calloc(cap, sizeof *t->counts);
        t->mask = cap - 1;
    }
    if (t && (!t->keys || !t->counts)) {
        intel_ids_free(t);
        t = NULL;
    }
    return t;
}

void intel_ids_free(struct intel_ids *ids)
{
    if (!ids)
        return;
    free(ids->keys);
    free(ids->counts);
    free(ids);
}

static size_t ids_hash(const struct intel_indicator *ind)
{
    size_t h = 1469598103934665603u ^ (size_t)ind->type; /* FNV-1a */
    for (const char *p = ind->value; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211u;
    return h;
}

void intel_ids_next(struct intel_ids *ids, const struct intel_indicator *ind, char *out)
{
    size_t i = ids_hash(ind) & ids->mask;
    while (ids->keys[i] &&
           (ids->keys[i]->type != ind->type || strcmp(ids->keys[i]->value, ind->value) != 0))
        i = (i + 1) & ids->mask;
    ids->keys[i] = ind;
    size_t repeat = ids->counts[i]++;
    struct yj_buf name;
    yj_buf_init(&name, 3 * INTEL_VALUE_MAX);
    if (repeat)
        yj_buf_printf(&name, "%s:%s#%zu", intel_type_code(ind->type), ind->value, repeat);
    else
        yj_buf_printf(&name, "%s:%s", intel_type_code(ind->type), ind->value);
    intel_uuid5(name.ptr ? name.ptr : "", name.len, out);
    yj_buf_release(&name);
}

/*
 * intel.c - indicator types, MIIT threat categories and TLP codes; the canonical
 * form of every indicator type (the form values are stored, compared, looked up and
 * exported in); guessing a bare value's type; the importers' neutral batch.
 */
#include "intel/intel.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <idn2.h>
#include <strings.h>

#include "core/yj.h"

/* --- codes ------------------------------------------------------------------------- */

struct intel_vocab {
    const char *code, *zh;
};

static const struct intel_vocab types[INTEL_TYPE__COUNT] = {
    [INTEL_IPV4] = {"ipv4", "IPv4地址"},       [INTEL_IPV6] = {"ipv6", "IPv6地址"},
    [INTEL_CIDR4] = {"cidr4", "IPv4地址段"},   [INTEL_CIDR6] = {"cidr6", "IPv6地址段"},
    [INTEL_DOMAIN] = {"domain", "域名"},       [INTEL_URL] = {"url", "URL"},
    [INTEL_EMAIL] = {"email", "电子邮件地址"}, [INTEL_MD5] = {"md5", "MD5哈希"},
    [INTEL_SHA1] = {"sha1", "SHA-1哈希"},      [INTEL_SHA256] = {"sha256", "SHA-256哈希"},
    [INTEL_SM3] = {"sm3", "SM3哈希"},          [INTEL_CC] = {"cc", "C&C服务器地址"},
    [INTEL_APP] = {"app", "移动应用"},
};

static const struct intel_vocab categories[INTEL_CAT__COUNT] = {
    [INTEL_CAT_MALICIOUS_IP] = {"malicious_ip", "恶意IP"},
    [INTEL_CAT_MALICIOUS_DOMAIN] = {"malicious_domain", "恶意域名"},
    [INTEL_CAT_MALICIOUS_URL] = {"malicious_url", "恶意URL"},
    [INTEL_CAT_MALICIOUS_MESSAGE] = {"malicious_message", "恶意电子信息"},
    [INTEL_CAT_MALWARE] = {"malware", "恶意程序"},
    [INTEL_CAT_BOTNET] = {"botnet", "僵尸网络、木马、蠕虫"},
    [INTEL_CAT_PHISHING] = {"phishing", "钓鱼网站"},
    [INTEL_CAT_HAZARD] = {"hazard", "安全隐患"},
    [INTEL_CAT_EVENT] = {"event", "安全事件"},
    [INTEL_CAT_OTHER] = {"other", "其他"},
};

static const char *const tlps[INTEL_TLP__COUNT] = {
    [INTEL_TLP_CLEAR] = "clear", [INTEL_TLP_GREEN] = "green",
    [INTEL_TLP_AMBER] = "amber", [INTEL_TLP_AMBER_STRICT] = "amber+strict",
    [INTEL_TLP_RED] = "red",
};

const char *intel_type_code(enum intel_type t)
{
    return (unsigned)t < INTEL_TYPE__COUNT ? types[t].code : "unknown";
}

const char *intel_type_name_zh(enum intel_type t)
{
    return (unsigned)t < INTEL_TYPE__COUNT ? types[t].zh : "未知";
}

enum yj_err intel_type_parse(const char *code, const char *field, enum intel_type *t,
                             struct yj_error *err)
{
    for (int i = 0; code && i < INTEL_TYPE__COUNT; i++)
        if (strcmp(code, types[i].code) == 0) {
            *t = (enum intel_type)i;
            return YJ_OK;
        }
    return yj_error_set(err, YJ_EINVAL, field, "unknown indicator type");
}

const char *intel_category_code(enum intel_category c)
{
    return (unsigned)c < INTEL_CAT__COUNT ? categories[c].code : "unknown";
}

const char *intel_category_name_zh(enum intel_category c)
{
    return (unsigned)c < INTEL_CAT__COUNT ? categories[c].zh : "未知";
}

enum yj_err intel_category_parse(const char *code, const char *field, enum intel_category *c,
                                 struct yj_error *err)
{
    for (int i = 0; code && i < INTEL_CAT__COUNT; i++)
        if (strcmp(code, categories[i].code) == 0) {
            *c = (enum intel_category)i;
            return YJ_OK;
        }
    return yj_error_set(err, YJ_EINVAL, field, "unknown threat category");
}

const char *intel_tlp_code(enum intel_tlp t)
{
    return (unsigned)t < INTEL_TLP__COUNT ? tlps[t] : "unknown";
}

enum yj_err intel_tlp_parse(const char *code, const char *field, enum intel_tlp *t,
                            struct yj_error *err)
{
    if (code && strncasecmp(code, "tlp:", 4) == 0) /* the marking as MISP tags write it */
        code += 4;
    for (int i = 0; code && i < INTEL_TLP__COUNT; i++)
        if (strcasecmp(code, tlps[i]) == 0) {
            *t = (enum intel_tlp)i;
            return YJ_OK;
        }
    if (code && strcasecmp(code, "white") == 0) {
        *t = INTEL_TLP_CLEAR;
        return YJ_OK;
    }
    return yj_error_set(err, YJ_EINVAL, field, "unknown TLP marking");
}

/* --- building a canonical value ------------------------------------------------------ */

/* The value being built: bounded by INTEL_VALUE_MAX, so nothing longer is ever stored. */
struct cbuf {
    char s[INTEL_VALUE_MAX + 1];
    size_t n;
    bool over;
};

static void cb_putn(struct cbuf *b, const char *p, size_t n)
{
    if (b->over || n > INTEL_VALUE_MAX - b->n) {
        b->over = true;
        return;
    }
    memcpy(b->s + b->n, p, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void cb_puts(struct cbuf *b, const char *s)
{
    cb_putn(b, s, strlen(s));
}

static void cb_putc(struct cbuf *b, char c)
{
    cb_putn(b, &c, 1);
}

static bool is_hex(unsigned char c)
{
    return isxdigit(c) != 0;
}

static int hex_val(unsigned char c)
{
    return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

static bool is_unreserved(unsigned char c)
{
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* A decimal number of at most max_digits digits (leading zeros allowed) in [lo, hi]. */
static bool parse_num(const char *p, size_t n, unsigned max_digits, long lo, long hi, long *out)
{
    if (n == 0)
        return false;
    while (n > 1 && *p == '0') {
        p++;
        n--;
    }
    if (n > max_digits)
        return false;
    long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (p[i] - '0');
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* inet_pton on a slice: family AF_INET or AF_INET6, addr 4 or 16 bytes. */
static bool ip_parse(int family, const char *p, size_t n, unsigned char *addr)
{
    char tmp[INET6_ADDRSTRLEN + 1];
    if (n == 0 || n >= sizeof tmp)
        return false;
    memcpy(tmp, p, n);
    tmp[n] = '\0';
    return inet_pton(family, tmp, addr) == 1;
}

static void ip_put(struct cbuf *b, int family, const unsigned char *addr)
{
    char tmp[INET6_ADDRSTRLEN];
    /* glibc prints RFC 5952 text: lower case, longest zero run as "::" (never a single
     * zero field), an embedded IPv4 for mapped addresses. */
    if (inet_ntop(family, addr, tmp, sizeof tmp))
        cb_puts(b, tmp);
    else
        b->over = true;
}

static enum yj_err ip_canon(int family, const char *p, size_t n, const char *field,
                            struct cbuf *out, struct yj_error *err)
{
    unsigned char addr[16];
    if (!ip_parse(family, p, n, addr))
        return yj_error_set(err, YJ_EINVAL, field, "not an %s address",
                            family == AF_INET ? "IPv4" : "IPv6");
    ip_put(out, family, addr);
    return YJ_OK;
}

static enum yj_err cidr_canon(int family, const char *p, size_t n, const char *field,
                              struct cbuf *out, struct yj_error *err)
{
    const char *slash = memchr(p, '/', n);
    unsigned bytes = family == AF_INET ? 4 : 16;
    long prefix;
    unsigned char addr[16];
    if (!slash)
        return yj_error_set(err, YJ_EINVAL, field, "not a CIDR range: no /prefix");
    if (!ip_parse(family, p, (size_t)(slash - p), addr))
        return yj_error_set(err, YJ_EINVAL, field, "not an %s range: bad address",
                            family == AF_INET ? "IPv4" : "IPv6");
    if (!parse_num(slash + 1, n - (size_t)(slash - p) - 1, 3, 0, bytes * 8, &prefix))
        return yj_error_set(err, YJ_EINVAL, field, "bad prefix length (0..%u)", bytes * 8);
    for (unsigned i = 0; i < bytes; i++) { /* clear the host bits */
        long keep = prefix - (long)i * 8;
        if (keep <= 0)
            addr[i] = 0;
        else if (keep < 8)
            addr[i] &= (unsigned char)(0xff00u >> keep);
    }
    ip_put(out, family, addr);
    char pre[8];
    snprintf(pre, sizeof pre, "/%ld", prefix);
    cb_puts(out, pre);
    return YJ_OK;
}

/* --- domains ------------------------------------------------------------------------- */

enum { DOMAIN_MAX = 253, LABEL_MAX = 63, DOMAIN_RAW_MAX = 1024 };

/*
 * Checks an ASCII lower-case name: labels of 1..63 letters, digits, hyphens (not at
 * either end) and underscores (real hostnames carry them, e.g. "_dmarc" or wildcard
 * DNS subdomains that malware uses), at least two labels, a top label not all digits
 * (so that 1.2.3.999 is no domain), at most 253 bytes.
 */
static const char *domain_check(const char *d, size_t n)
{
    if (n == 0)
        return "empty domain";
    if (n > DOMAIN_MAX)
        return "domain longer than 253 bytes";
    size_t labels = 0, start = 0;
    bool digits_only = true;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && d[i] != '.') {
            unsigned char c = (unsigned char)d[i];
            if (!(isalnum(c) || c == '-' || c == '_'))
                return "domain has a character other than letters, digits, '-' and '_'";
            if (!isdigit(c))
                digits_only = false;
            continue;
        }
        size_t len = i - start;
        if (len == 0)
            return "domain has an empty label";
        if (len > LABEL_MAX)
            return "domain label longer than 63 bytes";
        if (d[start] == '-' || d[i - 1] == '-')
            return "domain label starts or ends with '-'";
        labels++;
        if (i < n)
            digits_only = true;
        start = i + 1;
    }
    if (labels < 2)
        return "domain needs at least two labels";
    if (digits_only)
        return "domain's top label is all digits";
    return NULL;
}

/* The canonical domain of a slice: non-ASCII names become A-labels (IDNA 2008 with the
 * UTS #46 non-transitional mapping, which also lower-cases), one trailing dot goes. */
static enum yj_err domain_canon(const char *p, size_t n, const char *field, struct cbuf *out,
                                struct yj_error *err)
{
    char tmp[DOMAIN_RAW_MAX + 1], low[DOMAIN_RAW_MAX + 1];
    if (n > DOMAIN_RAW_MAX)
        return yj_error_set(err, YJ_EINVAL, field, "domain longer than 253 bytes");
    memcpy(tmp, p, n);
    tmp[n] = '\0';
    bool ascii = true;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)tmp[i] >= 0x80)
            ascii = false;
    const char *src = tmp;
    char *idn = NULL;
    if (!ascii) {
        int rc = idn2_to_ascii_8z(tmp, &idn, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
        if (rc != IDN2_OK)
            return yj_error_set(err, YJ_EINVAL, field, "not a valid internationalised domain");
        src = idn;
    }
    size_t len = strlen(src);
    if (len > DOMAIN_RAW_MAX) {
        idn2_free(idn);
        return yj_error_set(err, YJ_EINVAL, field, "domain longer than 253 bytes");
    }
    for (size_t i = 0; i < len; i++)
        low[i] = (char)tolower((unsigned char)src[i]);
    idn2_free(idn);
    if (len > 1 && low[len - 1] == '.')
        len--;
    low[len] = '\0';
    const char *why = domain_check(low, len);
    if (why)
        return yj_error_set(err, YJ_EINVAL, field, "%s", why);
    cb_putn(out, low, len);
    return YJ_OK;
}

/* Prefixes a part's error message with what the part is ("URL host: ..."). */
static enum yj_err reword(struct yj_error *err, const char *field, const char *what)
{
    char msg[YJ_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    return yj_error_set(err, YJ_EINVAL, field, "%s: %s", what, msg);
}

/* A host in a URL or C&C endpoint: "[IPv6]", IPv4 or a domain. */
static enum yj_err host_canon(const char *p, size_t n, const char *field, struct cbuf *out,
                              struct yj_error *err)
{
    if (n == 0)
        return yj_error_set(err, YJ_EINVAL, field, "no host");
    if (p[0] == '[') {
        if (n < 3 || p[n - 1] != ']')
            return yj_error_set(err, YJ_EINVAL, field, "bad IPv6 host");
        cb_putc(out, '[');
        enum yj_err rc = ip_canon(AF_INET6, p + 1, n - 2, field, out, err);
        cb_putc(out, ']');
        return rc;
    }
    unsigned char addr[4];
    if (ip_parse(AF_INET, p, n, addr)) {
        ip_put(out, AF_INET, addr);
        return YJ_OK;
    }
    return domain_canon(p, n, field, out, err);
}

/* --- URLs ------------------------------------------------------------------------------ */

static int default_port(const char *scheme)
{
    static const struct {
        const char *scheme;
        int port;
    } ports[] = {{"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}, {"ftp", 21}};
    for (size_t i = 0; i < YJ_ARRAY_LEN(ports); i++)
        if (strcmp(scheme, ports[i].scheme) == 0)
            return ports[i].port;
    return -1;
}

/*
 * Path, query or user info, kept as given except (RFC 3986 §6.2.2): percent-encoded
 * unreserved characters decoded, the hex digits of other escapes upper case, a '%'
 * that starts no escape written "%25" (else decoding could form a new escape and a
 * second pass would change the value), and spaces, quotes, angle brackets, '`' and
 * non-ASCII bytes percent-encoded as browsers send them. Control characters refuse.
 */
static bool url_part_put(struct cbuf *out, const char *p, size_t n)
{
    static const char hexd[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == 0x7f)
            return false;
        if (c == '%' && i + 2 < n && is_hex((unsigned char)p[i + 1]) &&
            is_hex((unsigned char)p[i + 2])) {
            unsigned char v = (unsigned char)(hex_val((unsigned char)p[i + 1]) * 16 +
                                              hex_val((unsigned char)p[i + 2]));
            i += 2;
            if (is_unreserved(v)) {
                cb_putc(out, (char)v);
                continue;
            }
            c = v;
        } else if (c != '%' && c != ' ' && c != '"' && c != '<' && c != '>' && c != '`' &&
                   c < 0x80) {
            cb_putc(out, (char)c);
            continue;
        }
        char esc[3] = {'%', hexd[c >> 4], hexd[c & 15]};
        cb_putn(out, esc, 3);
    }
    return true;
}

static enum yj_err url_canon(const char *p, size_t n, const char *field, struct cbuf *out,
                             struct yj_error *err)
{
    size_t i = 0;
    char scheme[33];
    while (i < n && i < sizeof scheme - 1 &&
           (isalpha((unsigned char)p[i]) ||
            (i > 0 && (isdigit((unsigned char)p[i]) || strchr("+-.", p[i])))))
        scheme[i] = (char)tolower((unsigned char)p[i]), i++;
    scheme[i] = '\0';
    if (i == 0 || n - i < 3 || memcmp(p + i, "://", 3) != 0)
        return yj_error_set(err, YJ_EINVAL, field, "not a URL: no scheme://");
    cb_puts(out, scheme);
    cb_puts(out, "://");
    i += 3;

    const char *hash = memchr(p + i, '#', n - i); /* the fragment never reaches a server */
    if (hash)
        n = (size_t)(hash - p);
    size_t auth_end = i;
    while (auth_end < n && p[auth_end] != '/' && p[auth_end] != '?')
        auth_end++;

    /* user info, up to the authority's last '@' */
    size_t host_start = i;
    for (size_t j = i; j < auth_end; j++)
        if (p[j] == '@')
            host_start = j + 1;
    if (host_start > i) {
        if (!url_part_put(out, p + i, host_start - i))
            return yj_error_set(err, YJ_EINVAL, field, "control character in URL");
    }

    /* host and port */
    size_t host_end = auth_end;
    const char *port = NULL;
    size_t port_len = 0;
    if (host_start < auth_end && p[host_start] == '[') {
        const char *rb = memchr(p + host_start, ']', auth_end - host_start);
        if (!rb)
            return yj_error_set(err, YJ_EINVAL, field, "bad IPv6 host in URL");
        host_end = (size_t)(rb - p) + 1;
        if (host_end < auth_end && p[host_end] != ':')
            return yj_error_set(err, YJ_EINVAL, field, "bad IPv6 host in URL");
    } else {
        for (size_t j = host_start; j < auth_end; j++)
            if (p[j] == ':') {
                host_end = j;
                break;
            }
    }
    if (host_end < auth_end) {
        port = p + host_end + 1;
        port_len = auth_end - host_end - 1;
    }
    if (host_canon(p + host_start, host_end - host_start, field, out, err) != YJ_OK)
        return reword(err, field, "URL host");
    if (port_len > 0) { /* an empty port ("host:/") is the default one */
        long v;
        if (!parse_num(port, port_len, 5, 1, 65535, &v))
            return yj_error_set(err, YJ_EINVAL, field, "bad port in URL");
        if (v != default_port(scheme)) {
            char num[8];
            snprintf(num, sizeof num, ":%ld", v);
            cb_puts(out, num);
        }
    }

    /* path and query: http's empty path is "/" (RFC 3986 §6.2.3) */
    if (auth_end == n || p[auth_end] == '?') {
        if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0)
            cb_putc(out, '/');
    }
    if (!url_part_put(out, p + auth_end, n - auth_end))
        return yj_error_set(err, YJ_EINVAL, field, "control character in URL");
    return YJ_OK;
}

/* --- e-mail, hashes, C&C, apps ----------------------------------------------------------- */

static enum yj_err email_canon(const char *p, size_t n, const char *field, struct cbuf *out,
                               struct yj_error *err)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (p[i] == '@')
            at = p + i;
    if (!at)
        return yj_error_set(err, YJ_EINVAL, field, "not an e-mail address: no '@'");
    size_t local = (size_t)(at - p);
    if (local == 0 || local > 64)
        return yj_error_set(err, YJ_EINVAL, field, "e-mail local part empty or over 64 bytes");
    for (size_t i = 0; i < local; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c == 0x7f || strchr("@<>()[],;:\\\"", c))
            return yj_error_set(err, YJ_EINVAL, field, "bad character in e-mail local part");
    }
    cb_putn(out, p, local + 1);
    if (domain_canon(at + 1, n - local - 1, field, out, err) != YJ_OK)
        return reword(err, field, "e-mail domain");
    if (out->n > 254)
        return yj_error_set(err, YJ_EINVAL, field, "e-mail address longer than 254 bytes");
    return YJ_OK;
}

static enum yj_err hash_canon(const char *p, size_t n, size_t want, const char *field,
                              struct cbuf *out, struct yj_error *err)
{
    if (n != want)
        return yj_error_set(err, YJ_EINVAL, field, "hash must be %zu hex digits", want);
    for (size_t i = 0; i < n; i++) {
        if (!is_hex((unsigned char)p[i]))
            return yj_error_set(err, YJ_EINVAL, field, "hash has a non-hex character");
        cb_putc(out, (char)tolower((unsigned char)p[i]));
    }
    return YJ_OK;
}

/* "host:port[/protocol]": the protocol, when given, a short lower-case token. */
static enum yj_err cc_canon(const char *p, size_t n, const char *field, struct cbuf *out,
                            struct yj_error *err)
{
    const char *slash = memchr(p, '/', n);
    size_t hp = slash ? (size_t)(slash - p) : n;
    size_t colon = hp;
    if (hp > 0 && p[0] == '[') {
        const char *rb = memchr(p, ']', hp);
        if (rb && (size_t)(rb - p) + 1 < hp && rb[1] == ':')
            colon = (size_t)(rb - p) + 1;
    } else {
        for (size_t i = 0; i < hp; i++)
            if (p[i] == ':') {
                if (colon != hp)
                    return yj_error_set(err, YJ_EINVAL, field,
                                        "C&C endpoint: an IPv6 host needs [brackets]");
                colon = i;
            }
    }
    if (colon == hp)
        return yj_error_set(err, YJ_EINVAL, field, "C&C endpoint must be host:port[/protocol]");
    if (host_canon(p, colon, field, out, err) != YJ_OK)
        return reword(err, field, "C&C host");
    long port;
    if (!parse_num(p + colon + 1, hp - colon - 1, 5, 1, 65535, &port))
        return yj_error_set(err, YJ_EINVAL, field, "C&C endpoint: bad port (1..65535)");
    char num[8];
    snprintf(num, sizeof num, ":%ld", port);
    cb_puts(out, num);
    if (slash) {
        size_t plen = n - hp - 1;
        if (plen == 0 || plen > 16 || !isalpha((unsigned char)slash[1]))
            return yj_error_set(err, YJ_EINVAL, field, "C&C endpoint: bad protocol");
        cb_putc(out, '/');
        for (size_t i = 1; i <= plen; i++) {
            unsigned char c = (unsigned char)slash[i];
            if (!isalnum(c) && c != '-')
                return yj_error_set(err, YJ_EINVAL, field, "C&C endpoint: bad protocol");
            cb_putc(out, (char)tolower(c));
        }
    }
    return YJ_OK;
}

/* "package[|cert-sha256]": an Android application id or iOS bundle id (case kept: they
 * are case-sensitive), at least two dot-separated segments; the signing certificate's
 * SHA-256 in hex, also as keytool prints it (colon-separated pairs). */
static enum yj_err app_canon(const char *p, size_t n, const char *field, struct cbuf *out,
                             struct yj_error *err)
{
    const char *bar = memchr(p, '|', n);
    size_t pkg = bar ? (size_t)(bar - p) : n;
    if (pkg == 0 || pkg > 255 || !isalpha((unsigned char)p[0]))
        return yj_error_set(err, YJ_EINVAL, field, "app: bad package name");
    size_t segments = 1;
    for (size_t i = 0; i < pkg; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '.') {
            if (i + 1 == pkg || p[i + 1] == '.')
                return yj_error_set(err, YJ_EINVAL, field, "app: empty package name segment");
            segments++;
        } else if (!isalnum(c) && c != '_' && c != '-') {
            return yj_error_set(err, YJ_EINVAL, field, "app: bad character in package name");
        }
    }
    if (segments < 2)
        return yj_error_set(err, YJ_EINVAL, field, "app: package name needs a '.'");
    cb_putn(out, p, pkg);
    if (!bar)
        return YJ_OK;
    char hex[65];
    size_t h = 0;
    for (size_t i = pkg + 1; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == ':' && h % 2 == 0 && h > 0 && i + 1 < n)
            continue;
        if (!is_hex(c) || h == 64)
            return yj_error_set(err, YJ_EINVAL, field,
                                "app: signing certificate must be a SHA-256 in hex");
        hex[h++] = (char)tolower(c);
    }
    if (h != 64)
        return yj_error_set(err, YJ_EINVAL, field,
                            "app: signing certificate must be a SHA-256 in hex");
    cb_putc(out, '|');
    cb_putn(out, hex, 64);
    return YJ_OK;
}

/* --- entry points ---------------------------------------------------------------------- */

/* Longer input cannot canonicalise to INTEL_VALUE_MAX bytes or less (a URL's escapes
 * only ever shrink by two thirds). */
enum { RAW_MAX = 3 * INTEL_VALUE_MAX };

static void trim(const char **p, size_t *n)
{
    while (*n > 0 && isspace((unsigned char)**p))
        (*p)++, (*n)--;
    while (*n > 0 && isspace((unsigned char)(*p)[*n - 1]))
        (*n)--;
}

static enum yj_err canon_slice(enum intel_type t, const char *p, size_t n, const char *field,
                               struct cbuf *out, struct yj_error *err)
{
    switch (t) {
    case INTEL_IPV4:
        return ip_canon(AF_INET, p, n, field, out, err);
    case INTEL_IPV6:
        return ip_canon(AF_INET6, p, n, field, out, err);
    case INTEL_CIDR4:
        return cidr_canon(AF_INET, p, n, field, out, err);
    case INTEL_CIDR6:
        return cidr_canon(AF_INET6, p, n, field, out, err);
    case INTEL_DOMAIN:
        return domain_canon(p, n, field, out, err);
    case INTEL_URL:
        return url_canon(p, n, field, out, err);
    case INTEL_EMAIL:
        return email_canon(p, n, field, out, err);
    case INTEL_MD5:
        return hash_canon(p, n, 32, field, out, err);
    case INTEL_SHA1:
        return hash_canon(p, n, 40, field, out, err);
    case INTEL_SHA256:
    case INTEL_SM3:
        return hash_canon(p, n, 64, field, out, err);
    case INTEL_CC:
        return cc_canon(p, n, field, out, err);
    case INTEL_APP:
        return app_canon(p, n, field, out, err);
    case INTEL_TYPE__COUNT:
        break;
    }
    return yj_error_set(err, YJ_EINVAL, field, "unknown indicator type");
}

enum yj_err intel_canonical(enum intel_type t, const char *raw, const char *field,
                            struct yj_arena *a, const char **out, struct yj_error *err)
{
    if (!raw)
        return yj_error_set(err, YJ_EINVAL, field, "missing value");
    size_t n = strnlen(raw, RAW_MAX + 1);
    if (n > RAW_MAX)
        return yj_error_set(err, YJ_EINVAL, field, "value longer than %d bytes", INTEL_VALUE_MAX);
    const char *p = raw;
    trim(&p, &n);
    if (n == 0)
        return yj_error_set(err, YJ_EINVAL, field, "empty value");
    struct cbuf *b = malloc(sizeof *b); /* 2 KiB: kept off the stack of deep callers */
    if (!b)
        return yj_error_set(err, YJ_ENOMEM, field, "out of memory");
    b->n = 0;
    b->over = false;
    b->s[0] = '\0';
    struct yj_error local;
    enum yj_err rc = canon_slice(t, p, n, field, b, err ? err : &local);
    if (rc == YJ_OK && b->over)
        rc = yj_error_set(err, YJ_EINVAL, field, "value longer than %d bytes", INTEL_VALUE_MAX);
    if (rc == YJ_OK) {
        char *s = yj_arena_strndup(a, b->s, b->n);
        if (!s)
            rc = yj_error_set(err, YJ_ENOMEM, field, "out of memory");
        else
            *out = s;
    }
    free(b);
    return rc;
}

static bool all_hex(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_hex((unsigned char)p[i]))
            return false;
    return true;
}

/* The one type a bare value can be; INTEL_TYPE__COUNT when it looks like none. */
static enum intel_type guess_type(const char *p, size_t n)
{
    unsigned char addr[16];
    if (n >= 3 && memmem(p, n, "://", 3))
        return INTEL_URL;
    if (memchr(p, '@', n))
        return INTEL_EMAIL;
    bool slash = memchr(p, '/', n) != NULL, colon = memchr(p, ':', n) != NULL;
    if (slash)
        return colon ? INTEL_CIDR6 : INTEL_CIDR4;
    if (colon)
        return INTEL_IPV6;
    if (ip_parse(AF_INET, p, n, addr))
        return INTEL_IPV4;
    if (all_hex(p, n) && (n == 32 || n == 40 || n == 64))
        return n == 32 ? INTEL_MD5 : n == 40 ? INTEL_SHA1 : INTEL_SHA256;
    return INTEL_DOMAIN;
}

enum yj_err intel_guess(const char *raw, const char *field, struct yj_arena *a, enum intel_type *t,
                        const char **out, struct yj_error *err)
{
    if (!raw)
        return yj_error_set(err, YJ_EINVAL, field, "missing value");
    size_t n = strnlen(raw, RAW_MAX + 1);
    const char *p = raw;
    trim(&p, &n);
    enum intel_type g = guess_type(p, n);
    struct yj_error e2;
    if (intel_canonical(g, raw, field, a, out, &e2) != YJ_OK) {
        if (e2.code == YJ_ENOMEM)
            return yj_error_set(err, YJ_ENOMEM, field, "out of memory");
        return yj_error_set(err, YJ_EINVAL, field,
                            "not an IP, CIDR, URL, e-mail address, hash or domain (as %s: %s)",
                            intel_type_code(g), e2.msg);
    }
    *t = g;
    return YJ_OK;
}

/* --- batches ----------------------------------------------------------------------------- */

void intel_batch_init(struct intel_batch *b)
{
    memset(b, 0, sizeof *b);
}

/* Grows an arena array to hold one more element of size bytes: doubling, so that the
 * copies left behind in the arena sum to less than the final array. */
static void *grow(struct yj_arena *a, void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 64;
    if (ncap > SIZE_MAX / size)
        return NULL;
    void *p = yj_arena_alloc(a, ncap * size);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, items, n * size);
    *cap = ncap;
    return p;
}

enum yj_err intel_batch_add(struct intel_batch *b, struct yj_arena *a,
                            const struct intel_indicator *ind, struct yj_error *err)
{
    if (!ind->value || (unsigned)ind->type >= INTEL_TYPE__COUNT)
        return yj_error_set(err, YJ_EINVAL, "value", "indicator without a type and value");
    if (ind->n_tags > INTEL_TAGS_MAX)
        return yj_error_set(err, YJ_EINVAL, "tags", "more than %d tags", INTEL_TAGS_MAX);
    struct intel_indicator *items = grow(a, b->items, b->n, &b->cap, sizeof *items);
    if (!items)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    b->items = items;
    b->items[b->n++] = *ind;
    return YJ_OK;
}

enum yj_err intel_batch_problem(struct intel_batch *b, struct yj_arena *a, const char *where,
                                const char *object, const char *reason, struct yj_error *err)
{
    struct intel_problem *ps = grow(a, b->problems, b->n_problems, &b->cap_problems, sizeof *ps);
    if (!ps)
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    b->problems = ps;
    struct intel_problem *p = &ps[b->n_problems];
    /* copied: callers often format where/reason into a reused buffer */
    p->where = yj_arena_strdup(a, where ? where : "");
    p->object = object ? yj_arena_strdup(a, object) : NULL;
    p->reason = yj_arena_strdup(a, reason ? reason : "");
    if (!p->where || !p->reason || (object && !p->object))
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    b->n_problems++;
    return YJ_OK;
}

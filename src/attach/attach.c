/*
 * attach.c - attachment kinds, type decisions from content (libmagic plus a
 * structural check per format), file names for download, and the blob store
 * under DATA/blobs. See attach.h for the rules and why they are what they are.
 */
#include "attach/attach.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <magic.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/yj.h"

/* --- kinds ------------------------------------------------------------------------- */

const struct attach_kind attach_kinds[] = {
    {"commitment_letter", "承诺书", "signed commitment letter", 1},
    {"response_commitment", "应急响应承诺书", "signed 2-hour emergency response commitment", 1},
    {"legal_documents", "法律地位证明", "proof of legal status", 1},
    {"audit_report", "财务审计报告关键页", "key pages of the financial audit report", 1},
    {"qualification_scans", "资质证明", "service qualification scans", 0},
    {"staff_certificates", "人员资质证书", "staff certificates", 0},
    {"project_evidence", "项目证明材料", "project evidence", 0},
    {"risk_assessment_report", "风险评估报告", "risk assessment report", 3},
    {"other", "其他", "other", 0},
};
const size_t attach_kinds_count = YJ_ARRAY_LEN(attach_kinds);

const struct attach_kind *attach_kind_find(const char *code)
{
    for (size_t i = 0; code && i < attach_kinds_count; i++)
        if (strcmp(code, attach_kinds[i].code) == 0)
            return &attach_kinds[i];
    return NULL;
}

enum yj_err attach_kind_check(const char *code, struct yj_error *err)
{
    if (!code || !*code)
        return yj_error_set(err, YJ_EINVAL, "kind", "required");
    if (!attach_kind_find(code))
        return yj_error_set(err, YJ_EINVAL, "kind", "not an attachment kind");
    return YJ_OK;
}

/* --- media types ----------------------------------------------------------------------- */

const struct attach_media attach_media_types[] = {
    {ATTACH_TYPE_PDF, "pdf", "PDF"},    {ATTACH_TYPE_PNG, "png", "PNG"},
    {ATTACH_TYPE_JPEG, "jpg", "JPEG"},  {ATTACH_TYPE_DOCX, "docx", "DOCX"},
    {ATTACH_TYPE_XLSX, "xlsx", "XLSX"}, {ATTACH_TYPE_OFD, "ofd", "OFD"},
};
const size_t attach_media_types_count = YJ_ARRAY_LEN(attach_media_types);

#define ACCEPTED_LIST "PDF, PNG, JPEG, DOCX, XLSX or OFD"

const struct attach_media *attach_media_find(const char *type)
{
    for (size_t i = 0; type && i < attach_media_types_count; i++)
        if (strcmp(type, attach_media_types[i].type) == 0)
            return &attach_media_types[i];
    return NULL;
}

enum yj_err attach_size_check(size_t n, struct yj_error *err)
{
    if (n == 0)
        return yj_error_set(err, YJ_EINVAL, "file", "the file is empty");
    if (n > ATTACH_MAX_SIZE)
        return yj_error_set(err, YJ_ETOOBIG, "file", "the file is over %d MiB",
                            ATTACH_MAX_SIZE / (1024 * 1024));
    return YJ_OK;
}

/* --- libmagic ------------------------------------------------------------------------- */

static pthread_once_t magic_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_handle; /* set once by magic_setup, used under magic_lock */
static char magic_failure[200];

static void magic_setup(void)
{
    /* No decompression, and none of the builtin ELF and CDF parsers: we accept none
     * of those formats, so their details are attack surface without use (soft magic
     * still names them, which is all a refusal needs). */
    magic_t m = magic_open(MAGIC_MIME_TYPE | MAGIC_ERROR | MAGIC_NO_CHECK_COMPRESS |
                           MAGIC_NO_CHECK_ELF | MAGIC_NO_CHECK_CDF);
    if (!m) {
        snprintf(magic_failure, sizeof magic_failure, "magic_open: %s", strerror(errno));
        return;
    }
    if (magic_load(m, NULL) != 0) {
        snprintf(magic_failure, sizeof magic_failure, "magic_load: %s",
                 magic_error(m) ? magic_error(m) : "unknown error");
        magic_close(m);
        return;
    }
    /* Every accepted type is recognised from its first bytes (a zip's first
     * entries); looking further only costs time on a 20 MiB upload. */
    size_t bytes_max = 1024 * 1024;
    magic_setparam(m, MAGIC_PARAM_BYTES_MAX, &bytes_max);
    magic_handle = m;
}

enum yj_err attach_sniff_init(struct yj_error *err)
{
    pthread_once(&magic_once, magic_setup);
    if (magic_handle)
        return YJ_OK;
    yj_log(YJ_LOG_ERROR, "attach_magic", "{s:s}", "error", magic_failure);
    return yj_error_set(err, YJ_EINTERNAL, NULL, "the file-type database cannot be loaded");
}

/* --- structural checks ------------------------------------------------------------------- */

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* What a zip's central directory says about the package. */
struct zip_facts {
    bool content_types; /* [Content_Types].xml: an Open Packaging Conventions package */
    bool word, xl;      /* parts under word/ or xl/ */
    bool ofd;           /* OFD.xml at the root */
    bool macros;        /* a VBA project anywhere */
};

static bool name_is(const unsigned char *name, size_t n, const char *z)
{
    return n == strlen(z) && memcmp(name, z, n) == 0;
}

static bool name_starts(const unsigned char *name, size_t n, const char *z)
{
    size_t k = strlen(z);
    return n > k && memcmp(name, z, k) == 0;
}

static void zip_note(struct zip_facts *z, const unsigned char *name, size_t n)
{
    static const char vba[] = "vbaproject.bin";
    size_t k = sizeof vba - 1;
    z->content_types |= name_is(name, n, "[Content_Types].xml");
    z->word |= name_starts(name, n, "word/");
    z->xl |= name_starts(name, n, "xl/");
    z->ofd |= name_is(name, n, "OFD.xml");
    if (n >= k && strncasecmp((const char *)name + n - k, vba, k) == 0)
        z->macros = true;
}

/*
 * Reads the central directory of the zip in p[0..n): the archive must start with
 * a local header, end with its end-of-central-directory record (and comment),
 * and every directory entry must lie inside the directory and point at a local
 * header before it. Zip64 and multi-disk archives are refused (no document under
 * 20 MiB needs them). 0 when whole, -1 when damaged, incomplete or unsupported.
 */
static int zip_scan(const unsigned char *p, size_t n, struct zip_facts *z)
{
    enum { EOCD = 22, CDH = 46, LFH = 30 };
    if (n < LFH + EOCD || le32(p) != 0x04034b50)
        return -1;
    size_t lo = n - EOCD > 0xffff ? n - EOCD - 0xffff : 0;
    size_t eocd = SIZE_MAX;
    for (size_t i = n - EOCD + 1; i-- > lo;)
        if (le32(p + i) == 0x06054b50) {
            eocd = i;
            break;
        }
    if (eocd == SIZE_MAX)
        return -1;
    const unsigned char *e = p + eocd;
    size_t entries = le16(e + 10), cd_size = le32(e + 12), cd_off = le32(e + 16);
    if (le16(e + 4) || le16(e + 6) || le16(e + 8) != entries || entries == 0 ||
        eocd + EOCD + le16(e + 20) != n || cd_off > eocd || cd_size != eocd - cd_off)
        return -1;
    size_t q = cd_off, end = eocd;
    for (size_t i = 0; i < entries; i++) {
        if (end - q < CDH || le32(p + q) != 0x02014b50)
            return -1;
        size_t name_len = le16(p + q + 28), extra = le16(p + q + 30), comment = le16(p + q + 32);
        size_t local = le32(p + q + 42);
        if (end - q - CDH < name_len + extra + comment || local > cd_off || cd_off - local < LFH ||
            le32(p + local) != 0x04034b50)
            return -1;
        zip_note(z, p + q + CDH, name_len);
        q += CDH + name_len + extra + comment;
    }
    return q == end ? 0 : -1;
}

/* A zip-based document: which one, from its parts (libmagic's guess, found, only
 * says which to expect first). */
static enum yj_err zip_classify(const unsigned char *p, size_t n, const char *found,
                                const char **type, struct yj_error *err)
{
    struct zip_facts z = {0};
    if (zip_scan(p, n, &z) != 0)
        return yj_error_set(err, YJ_EINVAL, "file",
                            "the document is damaged or incomplete (its zip directory "
                            "cannot be read)");
    if (z.macros)
        return yj_error_set(err, YJ_EINVAL, "file",
                            "documents with macros are not accepted; save it without macros "
                            "(as .docx or .xlsx)");
    bool docx = z.content_types && z.word && !z.xl, xlsx = z.content_types && z.xl && !z.word;
    bool ofd = z.ofd && !z.content_types;
    /* When libmagic named an Office type, the parts must bear it out; a plain zip
     * is whichever of the three its parts make it. */
    if (strcmp(found, ATTACH_TYPE_DOCX) == 0)
        ofd = xlsx = false;
    else if (strcmp(found, ATTACH_TYPE_XLSX) == 0)
        ofd = docx = false;
    if (docx || xlsx || ofd) {
        *type = docx ? ATTACH_TYPE_DOCX : xlsx ? ATTACH_TYPE_XLSX : ATTACH_TYPE_OFD;
        return YJ_OK;
    }
    return yj_error_set(err, YJ_EINVAL, "file",
                        "a zip archive that is not a DOCX, XLSX or OFD document is not accepted");
}

/* libmagic also calls a file PDF when "%PDF-" comes anywhere in its first KiB, so an
 * HTML page with that string in it would pass: the header must come first. Readers
 * look for %%EOF within the last 1024 bytes; an upload cut short has none. */
static bool pdf_complete(const unsigned char *p, size_t n)
{
    size_t tail = n < 1024 ? n : 1024;
    return n >= 5 && memcmp(p, "%PDF-", 5) == 0 && memmem(p + n - tail, tail, "%%EOF", 5) != NULL;
}

/* The IEND chunk ends every PNG; bytes after it would make a polyglot. */
static bool png_complete(const unsigned char *p, size_t n)
{
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    return n >= 8 + 25 + 12 && memcmp(p + n - 12, iend, 12) == 0;
}

/* Entropy-coded data escapes 0xFF, so 0xFF 0xD9 is a real end-of-image marker. Some
 * cameras append data after it, hence "has one", not "ends with one". */
static bool jpeg_complete(const unsigned char *p, size_t n)
{
    for (size_t i = n; i-- > 3;)
        if (p[i - 1] == 0xff && p[i] == 0xd9)
            return true;
    return false;
}

/* A libmagic answer made safe for a message: printable ASCII only. */
static void printable(char *s)
{
    for (; *s; s++)
        if (*s < 0x20 || *s > 0x7e || *s == '"' || *s == '\\')
            *s = '?';
}

/* libmagic's MIME type of data into found[cap]. */
static enum yj_err magic_type(const void *data, size_t n, char *found, size_t cap,
                              struct yj_error *err)
{
    enum yj_err rc = attach_size_check(n, err);
    if (!rc)
        rc = attach_sniff_init(err);
    if (rc)
        return rc;
    char failure[200] = "";
    pthread_mutex_lock(&magic_lock);
    const char *r = magic_buffer(magic_handle, data, n);
    /* The answer lives in the handle: copy it before another thread may overwrite it. */
    if (r)
        snprintf(found, cap, "%s", r);
    else
        snprintf(failure, sizeof failure, "%s",
                 magic_error(magic_handle) ? magic_error(magic_handle) : "unknown");
    pthread_mutex_unlock(&magic_lock);
    if (!r) {
        yj_log(YJ_LOG_ERROR, "attach_magic", "{s:s}", "error", failure);
        return yj_error_set(err, YJ_EINTERNAL, "file", "cannot decide the file's type");
    }
    printable(found);
    return YJ_OK;
}

enum yj_err attach_identify(const void *data, size_t n, struct yj_arena *a, const char **media_type,
                            struct yj_error *err)
{
    char found[128] = "";
    enum yj_err rc = magic_type(data, n, found, sizeof found, err);
    if (!rc)
        *media_type = yj_arena_strdup(a, found);
    return rc;
}

enum yj_err attach_sniff(const void *data, size_t n, const char **media_type, struct yj_error *err)
{
    char found[128] = "";
    enum yj_err rc = magic_type(data, n, found, sizeof found, err);
    if (rc)
        return rc;
    const unsigned char *p = data;
    if (strcmp(found, ATTACH_TYPE_PDF) == 0) {
        if (!pdf_complete(p, n))
            return yj_error_set(err, YJ_EINVAL, "file",
                                "the PDF is incomplete or malformed (it must begin with %%PDF- "
                                "and end with %%%%EOF)");
        *media_type = ATTACH_TYPE_PDF;
        return YJ_OK;
    }
    if (strcmp(found, ATTACH_TYPE_PNG) == 0) {
        if (!png_complete(p, n))
            return yj_error_set(err, YJ_EINVAL, "file",
                                "the PNG is incomplete or has data after its end");
        *media_type = ATTACH_TYPE_PNG;
        return YJ_OK;
    }
    if (strcmp(found, ATTACH_TYPE_JPEG) == 0) {
        if (!jpeg_complete(p, n))
            return yj_error_set(err, YJ_EINVAL, "file", "the JPEG is incomplete");
        *media_type = ATTACH_TYPE_JPEG;
        return YJ_OK;
    }
    if (strcmp(found, ATTACH_TYPE_DOCX) == 0 || strcmp(found, ATTACH_TYPE_XLSX) == 0 ||
        strcmp(found, "application/zip") == 0 || strcmp(found, ATTACH_TYPE_OFD) == 0)
        return zip_classify(p, n, found, media_type, err);
    return yj_error_set(err, YJ_EINVAL, "file",
                        "the file's content is %s, which is not accepted: "
                        "send " ACCEPTED_LIST " (the file name does not decide the type)",
                        found);
}

/* --- file names --------------------------------------------------------------------------- */

/* Decodes the code point at *s (valid UTF-8, checked before) and advances *s. */
static uint32_t next_cp(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    if (len > 1)
        c &= 0x3fu >> (len - 1);
    for (size_t i = 1; i < len; i++)
        c = (c << 6) | (p[i] & 0x3fu);
    *s = p + len;
    return c;
}

/* Code points a file name may not hold: controls, and the invisible direction
 * marks and overrides that make a name display differently from what it is. */
static bool cp_forbidden(uint32_t c)
{
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e ||
           c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
           c == 0x2028 || c == 0x2029 || c == '/' || c == '\\';
}

enum yj_err attach_filename_check(const char *name, struct yj_error *err)
{
    if (!name || !*name)
        return yj_error_set(err, YJ_EINVAL, "filename", "required");
    size_t len = strlen(name);
    if (!yj_utf8_text_ok(name, len))
        return yj_error_set(err, YJ_EINVAL, "filename", "must be UTF-8 text");
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return yj_error_set(err, YJ_EINVAL, "filename", "not a file name");
    size_t chars = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; chars++)
        if (cp_forbidden(next_cp(&p)))
            return yj_error_set(err, YJ_EINVAL, "filename",
                                "must not contain control characters, direction marks or "
                                "path separators");
    if (chars > ATTACH_FILENAME_MAX)
        return yj_error_set(err, YJ_EINVAL, "filename", "at most %d characters",
                            ATTACH_FILENAME_MAX);
    return YJ_OK;
}

/* Whether the name's extension is one under which the type's files are known. */
static bool extension_fits(const char *name, const char *media_type)
{
    static const struct {
        const char *type, *ext;
    } known[] = {
        {ATTACH_TYPE_PDF, "pdf"},   {ATTACH_TYPE_PNG, "png"},   {ATTACH_TYPE_JPEG, "jpg"},
        {ATTACH_TYPE_JPEG, "jpeg"}, {ATTACH_TYPE_JPEG, "jpe"},  {ATTACH_TYPE_JPEG, "jfif"},
        {ATTACH_TYPE_DOCX, "docx"}, {ATTACH_TYPE_XLSX, "xlsx"}, {ATTACH_TYPE_OFD, "ofd"},
    };
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name)
        return false;
    for (size_t i = 0; i < YJ_ARRAY_LEN(known); i++)
        if (strcmp(known[i].type, media_type) == 0 && strcasecmp(dot + 1, known[i].ext) == 0)
            return true;
    return false;
}

/* RFC 8187 attr-char: sent as itself in filename*=; everything else is %XX. */
static bool attr_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$&+-.^_`|~", c));
}

char *attach_content_disposition(struct yj_arena *a, const char *name, const char *media_type)
{
    const struct attach_media *m = attach_media_find(media_type);
    const char *full = name;
    if (m && !extension_fits(name, media_type))
        full = yj_arena_printf(a, "%s.%s", name, m->extension);
    if (!full)
        return NULL;
    size_t len = strlen(full);
    /* 'attachment; filename="' + fallback (<= len) + '"; filename*=UTF-8\'\'' + 3 * len. */
    char *out = yj_arena_alloc(a, 64 + 4 * len);
    if (!out)
        return NULL;
    char *w = out + snprintf(out, 64, "attachment; filename=\"");
    /* The fallback for old clients is ASCII: every other character becomes '_', and
     * so do the quote, backslash and '%' some clients would interpret. */
    for (const unsigned char *p = (const unsigned char *)full; *p;) {
        uint32_t c = next_cp(&p);
        *w++ = c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? (char)c : '_';
    }
    w += snprintf(w, 32, "\"; filename*=UTF-8''");
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)full; *p; p++) {
        if (attr_char(*p)) {
            *w++ = (char)*p;
        } else {
            *w++ = '%';
            *w++ = hex[*p >> 4];
            *w++ = hex[*p & 15];
        }
    }
    *w = '\0';
    return out;
}

/* --- blob store ------------------------------------------------------------------------------ */

bool attach_sha256_hex_ok(const char *hex)
{
    if (!hex || strlen(hex) != ATTACH_SHA256_HEX)
        return false;
    for (const char *p = hex; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return false;
    return true;
}

/* Logs a failed file-system call (the path names only the data directory and a
 * hash: no personal data) and gives clients a message without either. */
static enum yj_err io_fail(struct yj_error *err, const char *op, const char *path)
{
    yj_log(YJ_LOG_ERROR, "attach_blob", "{s:s,s:s,s:s}", "op", op, "path", path, "error",
           strerror(errno));
    return yj_error_set(err, YJ_EIO, NULL, "cannot store or read the file");
}

static enum yj_err dir_fsync(const char *path, struct yj_error *err)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return io_fail(err, "open directory", path);
    int rc = fsync(fd);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc == 0 ? YJ_OK : io_fail(err, "fsync directory", path);
}

/* Creates path unless it exists; a new directory is made durable in its parent. */
static enum yj_err dir_ensure(const char *path, const char *parent, struct yj_error *err)
{
    if (mkdir(path, 0700) == 0)
        return dir_fsync(parent, err);
    if (errno == EEXIST)
        return YJ_OK;
    return io_fail(err, "mkdir", path);
}

enum yj_err attach_blob_path(const char *data_dir, const char *hex, char *out, size_t size,
                             struct yj_error *err)
{
    if (!attach_sha256_hex_ok(hex))
        return yj_error_set(err, YJ_EINVAL, "sha256", "not a SHA-256 in lower-case hex");
    int w = snprintf(out, size, "%s/blobs/%.2s/%s", data_dir, hex, hex);
    if (w < 0 || (size_t)w >= size)
        return yj_error_set(err, YJ_EINVAL, "data", "the data directory's path is too long");
    return YJ_OK;
}

static bool write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Writes the bytes to a new temporary file in dir, fsyncs it and renames it to final. */
static enum yj_err blob_write(const char *dir, const char *final, const void *bytes, size_t n,
                              struct yj_error *err)
{
    unsigned char rnd[8];
    char suffix[17], tmp[PATH_MAX];
    yj_random(rnd, sizeof rnd);
    yj_hex(rnd, sizeof rnd, suffix);
    int w = snprintf(tmp, sizeof tmp, "%s/.tmp-%s", dir, suffix);
    if (w < 0 || (size_t)w >= sizeof tmp)
        return yj_error_set(err, YJ_EINVAL, "data", "the data directory's path is too long");
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return io_fail(err, "create", tmp);
    const char *op = !write_all(fd, bytes, n) ? "write" : fsync(fd) != 0 ? "fsync" : NULL;
    int saved = errno;
    if (close(fd) != 0 && !op) {
        op = "close";
        saved = errno;
    }
    if (!op && rename(tmp, final) != 0) {
        op = "rename";
        saved = errno;
    }
    if (op) {
        unlink(tmp);
        errno = saved;
        return io_fail(err, op, strcmp(op, "rename") == 0 ? final : tmp);
    }
    return dir_fsync(dir, err);
}

/* Puts the bytes whose hash is hex under data_dir/blobs (see attach_blob_put). */
static enum yj_err blob_put_hex(const char *data_dir, const char *hex, const void *bytes, size_t n,
                                struct yj_error *err)
{
    char blobs[PATH_MAX], dir[PATH_MAX], final[PATH_MAX];
    enum yj_err rc = attach_blob_path(data_dir, hex, final, sizeof final, err);
    if (rc)
        return rc;
    /* final is the longest of the three, so these fit. */
    snprintf(blobs, sizeof blobs, "%s/blobs", data_dir);
    snprintf(dir, sizeof dir, "%s/blobs/%.2s", data_dir, hex);
    rc = dir_ensure(blobs, data_dir, err);
    if (!rc)
        rc = dir_ensure(dir, blobs, err);
    if (rc)
        return rc;
    struct stat sb;
    /* Content-addressed: the same name with the same size is the same bytes (a
     * damaged one of another size is replaced). Its writer renamed it only after
     * fsyncing it, but may not have fsynced the directory yet: do that here, so a
     * row committed on the strength of this blob never outlives its name. */
    if (stat(final, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size == n)
        return dir_fsync(dir, err);
    return blob_write(dir, final, bytes, n, err);
}

enum yj_err attach_blob_put(const char *data_dir, const void *bytes, size_t n,
                            char sha256_hex[ATTACH_SHA256_HEX + 1], struct yj_error *err)
{
    if (n > ATTACH_MAX_SIZE)
        return attach_size_check(n, err);
    unsigned char h[32];
    yj_sha256(bytes, n, h);
    yj_hex(h, sizeof h, sha256_hex);
    return blob_put_hex(data_dir, sha256_hex, bytes, n, err);
}

enum yj_err attach_blob_open(const char *data_dir, const char *hex, int *fd, struct yj_error *err)
{
    char path[PATH_MAX];
    enum yj_err rc = attach_blob_path(data_dir, hex, path, sizeof path, err);
    if (rc)
        return rc;
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (*fd >= 0)
        return YJ_OK;
    if (errno == ENOENT)
        return yj_error_set(err, YJ_ENOTFOUND, NULL, "the stored file is missing");
    return io_fail(err, "open", path);
}

static enum yj_err damaged(struct yj_error *err, const char *hex, const char *why)
{
    yj_log(YJ_LOG_ERROR, "attach_blob_damaged", "{s:s,s:s}", "sha256", hex, "why", why);
    return yj_error_set(err, YJ_EIO, NULL, "the stored file is damaged");
}

enum yj_err attach_blob_read(const char *data_dir, const char *hex, int64_t expected_size,
                             char **data, size_t *n, struct yj_error *err)
{
    *data = NULL;
    *n = 0;
    if (expected_size < 0 || expected_size > ATTACH_MAX_SIZE)
        return yj_error_set(err, YJ_EINVAL, "size", "not a size an attachment can have");
    int fd;
    enum yj_err rc = attach_blob_open(data_dir, hex, &fd, err);
    if (rc)
        return rc;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size != expected_size) {
        close(fd);
        return damaged(err, hex, "size differs from the record");
    }
    size_t want = (size_t)expected_size, got = 0;
    char *buf = malloc(want ? want : 1);
    if (!buf) {
        close(fd);
        return yj_error_set(err, YJ_ENOMEM, NULL, "out of memory");
    }
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    unsigned char h[32];
    char actual[ATTACH_SHA256_HEX + 1];
    yj_sha256(buf, got, h);
    yj_hex(h, sizeof h, actual);
    if (got != want || strcmp(actual, hex) != 0) {
        free(buf);
        return damaged(err, hex, got != want ? "short read" : "hash differs from the record");
    }
    *data = buf;
    *n = got;
    return YJ_OK;
}

/* Copies one blob unless the destination has it; counts what happened. */
static enum yj_err blob_copy_one(const char *from, const char *to, const char *hex, off_t size,
                                 struct attach_copy_stats *stats, struct yj_error *err)
{
    char path[PATH_MAX];
    struct stat sb;
    enum yj_err rc = attach_blob_path(to, hex, path, sizeof path, err);
    if (rc)
        return rc;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size == size) {
        stats->present++;
        return YJ_OK;
    }
    char *data;
    size_t n;
    rc = attach_blob_read(from, hex, (int64_t)size, &data, &n, err);
    if (rc == YJ_EIO || rc == YJ_EINVAL) {
        /* Damaged at the source (logged by attach_blob_read): copying it would
         * spread the damage, skipping it silently would hide it. */
        stats->damaged++;
        return YJ_OK;
    }
    if (rc)
        return rc;
    rc = blob_put_hex(to, hex, data, n, err);
    free(data);
    if (!rc) {
        stats->copied++;
        stats->bytes += (uint64_t)n;
    }
    return rc;
}

enum yj_err attach_blobs_copy(const char *from_data_dir, const char *to_data_dir,
                              struct attach_copy_stats *stats, struct yj_error *err)
{
    memset(stats, 0, sizeof *stats);
    char root[PATH_MAX], dir[PATH_MAX], file[PATH_MAX];
    int w = snprintf(root, sizeof root, "%s/blobs", from_data_dir);
    if (w < 0 || (size_t)w >= sizeof root)
        return yj_error_set(err, YJ_EINVAL, "data", "the data directory's path is too long");
    DIR *top = opendir(root);
    if (!top)
        return errno == ENOENT ? YJ_OK : io_fail(err, "opendir", root);
    enum yj_err rc = YJ_OK;
    struct dirent *d;
    while (!rc && (d = readdir(top))) {
        const char *p = d->d_name;
        if (strlen(p) != 2 || !isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]))
            continue;
        w = snprintf(dir, sizeof dir, "%s/%s", root, p);
        if (w < 0 || (size_t)w >= sizeof dir)
            continue;
        DIR *sub = opendir(dir);
        if (!sub) {
            rc = io_fail(err, "opendir", dir);
            break;
        }
        struct dirent *f;
        while (!rc && (f = readdir(sub))) {
            /* Temporary files of interrupted writes and anything else are not blobs. */
            if (!attach_sha256_hex_ok(f->d_name) || strncmp(f->d_name, p, 2) != 0)
                continue;
            struct stat sb;
            w = snprintf(file, sizeof file, "%s/%s", dir, f->d_name);
            if (w < 0 || (size_t)w >= sizeof file || lstat(file, &sb) != 0 || !S_ISREG(sb.st_mode))
                continue;
            rc = blob_copy_one(from_data_dir, to_data_dir, f->d_name, sb.st_size, stats, err);
        }
        closedir(sub);
    }
    closedir(top);
    return rc;
}

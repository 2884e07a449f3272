/*
 * fuzz_attach.c - the attachment module's readers of untrusted bytes: the type
 * decision (libmagic, then the structural checks and the zip central-directory
 * reader of attach.c) over the whole input, and the file-name check with the
 * Content-Disposition built from an accepted name. An accepted file must be one
 * of the six types with its format's marks; an accepted name must give a header
 * value of printable ASCII whose filename* decodes back to the name.
 */
#include "attach/attach.h"
#include "core/yj.h"
#include "fuzz.h"

static void check_sniff(const uint8_t *data, size_t size)
{
    const char *type = NULL;
    struct yj_error err;
    yj_error_clear(&err);
    enum yj_err rc = attach_sniff(data, size, &type, &err);
    if (rc != YJ_OK) {
        FUZZ_CHECK(type == NULL);
        FUZZ_CHECK(strcmp(err.field, "file") == 0 && err.msg[0]);
        FUZZ_CHECK(rc == YJ_EINVAL || rc == YJ_ETOOBIG);
        FUZZ_CHECK(yj_utf8_text_ok(err.msg, strlen(err.msg)));
        return;
    }
    FUZZ_CHECK(size > 0 && attach_media_find(type) != NULL);
    if (strcmp(type, ATTACH_TYPE_PDF) == 0)
        FUZZ_CHECK(size >= 5 && memcmp(data, "%PDF-", 5) == 0);
    else if (strcmp(type, ATTACH_TYPE_PNG) == 0)
        FUZZ_CHECK(size > 12 && memcmp(data + size - 8, "IEND", 4) == 0);
    else if (strcmp(type, ATTACH_TYPE_JPEG) == 0)
        FUZZ_CHECK(size >= 4 && data[0] == 0xff && data[1] == 0xd8);
    else
        FUZZ_CHECK(size >= 52 && memcmp(data, "PK\3\4", 4) == 0);
}

static int unhex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static void check_name(const uint8_t *data, size_t size)
{
    char *name = malloc(size + 1);
    if (!name)
        return;
    memcpy(name, data, size);
    name[size] = '\0';
    struct yj_error err;
    if (attach_filename_check(name, &err) != YJ_OK) {
        FUZZ_CHECK(strcmp(err.field, "filename") == 0);
        free(name);
        return;
    }
    FUZZ_CHECK(!strchr(name, '/') && !strchr(name, '\\') && yj_utf8_chars(name) <= 200);
    struct yj_arena a;
    yj_arena_init(&a, 0);
    for (size_t t = 0; t < attach_media_types_count; t++) {
        const char *type = attach_media_types[t].type;
        char *cd = attach_content_disposition(&a, name, type);
        FUZZ_CHECK(cd != NULL);
        for (const char *p = cd; *p; p++)
            FUZZ_CHECK(*p >= 0x20 && *p < 0x7f);
        static const char head[] = "attachment; filename=\"";
        FUZZ_CHECK(strncmp(cd, head, sizeof head - 1) == 0);
        const char *fallback = cd + sizeof head - 1;
        const char *close = strstr(fallback, "\"; filename*=UTF-8''");
        FUZZ_CHECK(close != NULL);
        FUZZ_CHECK(memchr(fallback, '"', (size_t)(close - fallback)) == NULL);
        /* filename* decodes to the name, or to the name with the type's extension. */
        const char *enc = close + strlen("\"; filename*=UTF-8''");
        size_t len = strlen(enc);
        char *dec = yj_arena_alloc(&a, len + 1);
        size_t k = 0;
        for (size_t i = 0; i < len; i++) {
            if (enc[i] == '%') {
                FUZZ_CHECK(i + 2 < len);
                int hi = unhex(enc[i + 1]), lo = unhex(enc[i + 2]);
                FUZZ_CHECK(hi >= 0 && lo >= 0);
                dec[k++] = (char)(hi << 4 | lo);
                i += 2;
            } else {
                FUZZ_CHECK(strchr(" \";\\%", enc[i]) == NULL);
                dec[k++] = enc[i];
            }
        }
        dec[k] = '\0';
        size_t nl = strlen(name);
        FUZZ_CHECK(strncmp(dec, name, nl) == 0);
        FUZZ_CHECK(dec[nl] == '\0' ||
                   (dec[nl] == '.' && strcmp(dec + nl + 1, attach_media_types[t].extension) == 0));
    }
    yj_arena_release(&a);
    free(name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_sniff(data, size);
    check_name(data, size);
    return 0;
}

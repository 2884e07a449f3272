/*
 * attach.h - attachments (附件) of applications: what kinds there are, which
 * file types are accepted and how a type is decided, the size limit, safe
 * names for download, and the content-addressed blob store.
 *
 * The rules, in one place:
 *   - a file is at most ATTACH_MAX_SIZE bytes and never empty;
 *   - its type is decided from its bytes (libmagic, then a structural check),
 *     never from its name or the client's Content-Type; only PDF, PNG, JPEG,
 *     DOCX, XLSX and OFD are accepted, and a file must be complete (a PDF ends
 *     with %%EOF, a PNG with IEND, a JPEG has its end marker, a zip-based
 *     document has a readable central directory with its format's parts and no
 *     macros);
 *   - its bytes are kept once per content in DATA/blobs/<h0h1>/<sha256>, written
 *     atomically, and never rewritten; rows in the store (store_attach.h) point
 *     at them by SHA-256.
 *
 * OFD (GB/T 33190-2016, the national format of signed electronic documents such
 * as e-invoices and sealed letters) is accepted: a signed 承诺书 often exists only
 * as OFD. libmagic calls it a plain zip, so a zip is OFD when its central
 * directory holds OFD.xml at the root; it is served as "application/ofd" (the
 * type OFD readers register; IANA has none).
 *
 * No HTTP, SQL or JSON here. Functions fill struct yj_error naming the input
 * field ("file", "kind", "filename") the HTTP layer reports.
 */
#ifndef YJ_ATTACH_ATTACH_H
#define YJ_ATTACH_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

enum {
    ATTACH_MAX_SIZE = 20 * 1024 * 1024, /* bytes; larger uploads answer 413 */
    ATTACH_FILENAME_MAX = 200,          /* characters (code points) of a file name */
    ATTACH_MAX_PER_APPLICATION = 100,   /* live attachments one application may hold */
    ATTACH_SHA256_HEX = 64,             /* length of a hex SHA-256, without the NUL */
};

/* --- kinds -------------------------------------------------------------------- */

/* The attachments of the application template (seed 001, DOMAIN.md §2). */
struct attach_kind {
    const char *code;    /* "commitment_letter", ... */
    const char *name_zh; /* 承诺书, ... */
    const char *name_en;
    /* How many the template itself demands at submission (the applications module
     * enforces it; 0 where the template asks for material but sets no count). */
    int min_at_submission;
};
extern const struct attach_kind attach_kinds[];
extern const size_t attach_kinds_count;

/* The kind with this code, or NULL. */
const struct attach_kind *attach_kind_find(const char *code);

/* YJ_OK for a known kind code; YJ_EINVAL naming field "kind" otherwise (NULL included). */
enum yj_err attach_kind_check(const char *code, struct yj_error *err);

/* --- media types ------------------------------------------------------------------ */

#define ATTACH_TYPE_PDF "application/pdf"
#define ATTACH_TYPE_PNG "image/png"
#define ATTACH_TYPE_JPEG "image/jpeg"
#define ATTACH_TYPE_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define ATTACH_TYPE_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define ATTACH_TYPE_OFD "application/ofd"

struct attach_media {
    const char *type;      /* one of the ATTACH_TYPE_* strings */
    const char *extension; /* the usual one, without the dot: "pdf", "jpg", ... */
    const char *label;     /* for messages: "PDF", "JPEG", ... */
};
extern const struct attach_media attach_media_types[];
extern const size_t attach_media_types_count;

/* The accepted media type with this exact name, or NULL. */
const struct attach_media *attach_media_find(const char *type);

/*
 * Decides the type of the n bytes at data from their content. On success
 * *media_type is one of the ATTACH_TYPE_* strings (static). Failures, all naming
 * field "file": YJ_EINVAL for an empty file, a type that is not accepted (the
 * message names the type found, e.g. "application/x-executable"), an incomplete
 * or damaged file, or a document with macros; YJ_ETOOBIG over ATTACH_MAX_SIZE;
 * YJ_EINTERNAL when the type database cannot be loaded (logged).
 *
 * Thread-safe. libmagic handles are not, so there is one handle for the process,
 * opened on first use and guarded by a mutex: uploads are rare and a look takes
 * well under a millisecond (at most the first MiB is examined), while a handle
 * per thread would load the database once in every server thread and need a
 * destructor per thread.
 */
enum yj_err attach_sniff(const void *data, size_t n, const char **media_type, struct yj_error *err);

/*
 * What an evidence file is, without judging it: libmagic's MIME type (arena text,
 * e.g. "text/plain", "application/vnd.tcpdump.pcap", "application/x-dosexec").
 * Evidence is whatever was found (logs, captures, samples, images), so nothing is
 * refused for its type; failures as attach_sniff's for an empty or oversized file.
 */
enum yj_err attach_identify(const void *data, size_t n, struct yj_arena *a, const char **media_type,
                            struct yj_error *err);

/*
 * Loads the type database now (attach_sniff does it on first use): a server
 * calls this at start so that a missing database fails the start, not the first
 * upload. YJ_EINTERNAL (logged) when libmagic or its database is missing.
 */
enum yj_err attach_sniff_init(struct yj_error *err);

/* YJ_OK for 1..ATTACH_MAX_SIZE bytes; YJ_EINVAL (empty) or YJ_ETOOBIG, naming field "file". */
enum yj_err attach_size_check(size_t n, struct yj_error *err);

/* --- file names ----------------------------------------------------------------------- */

/*
 * The user's name for the file, kept for the download: valid UTF-8 text of 1 to
 * ATTACH_FILENAME_MAX characters, without control characters (C0, DEL, C1), the
 * bidirectional overrides that make "evil\u202Efdp.exe" look like "evilexe.pdf",
 * path separators ('/', '\\'), and not "." or "..". YJ_EINVAL naming field
 * "filename".
 */
enum yj_err attach_filename_check(const char *name, struct yj_error *err);

/*
 * The Content-Disposition value for downloading a file called name (checked by
 * attach_filename_check) of type media_type: "attachment; filename="<ASCII
 * fallback>"; filename*=UTF-8''<percent-encoded name>" (RFC 6266, RFC 8187).
 * When the name's extension does not fit the type, the type's usual extension is
 * appended ("report.exe" holding a PDF downloads as "report.exe.pdf"), so that
 * the saved file opens with the program for its real type. Arena-allocated;
 * NULL on ENOMEM.
 */
char *attach_content_disposition(struct yj_arena *a, const char *name, const char *media_type);

/* --- blob store ------------------------------------------------------------------------ */

/* 1 when hex is exactly 64 lower-case hexadecimal digits. */
bool attach_sha256_hex_ok(const char *hex);

/*
 * The path of the blob with this SHA-256 under data_dir:
 * "<data_dir>/blobs/<first two hex digits>/<hex>", into out (size bytes).
 * YJ_EINVAL when hex is not a SHA-256 in hex or the path does not fit.
 */
enum yj_err attach_blob_path(const char *data_dir, const char *hex, char *out, size_t size,
                             struct yj_error *err);

/*
 * Stores n bytes (n <= ATTACH_MAX_SIZE) and writes their SHA-256 in lower-case
 * hex into sha256_hex. Idempotent: when a blob of that content is already there
 * (same name, same size) nothing is written. Otherwise the bytes go to a
 * temporary file in the blob's directory, which is fsynced, renamed to the final
 * name and followed by an fsync of the directory (directories created on the
 * way are fsynced into their parents too): after a crash the final name holds
 * either nothing or the whole content, never part of it. A stray temporary file
 * (".tmp-*") left by a crash is harmless. YJ_EIO on any file-system failure
 * (details logged, no partial file left under the final name); YJ_ETOOBIG for
 * n > ATTACH_MAX_SIZE.
 */
enum yj_err attach_blob_put(const char *data_dir, const void *bytes, size_t n,
                            char sha256_hex[ATTACH_SHA256_HEX + 1], struct yj_error *err);

/*
 * Opens the blob for reading: *fd is a read-only descriptor the caller closes.
 * YJ_ENOTFOUND when there is no such blob, YJ_EINVAL for a malformed hex,
 * YJ_EIO otherwise.
 */
enum yj_err attach_blob_open(const char *data_dir, const char *hex, int *fd, struct yj_error *err);

/*
 * Reads the whole blob into *data (malloc'd, owned by the caller, freed with
 * free(); *n its length) and checks it against what the row says: exactly
 * expected_size bytes (at most ATTACH_MAX_SIZE) whose SHA-256 is hex. A
 * mismatch is YJ_EIO "the stored file is damaged" (logged), so a download
 * never serves bytes other than those uploaded. YJ_ENOTFOUND when missing.
 */
enum yj_err attach_blob_read(const char *data_dir, const char *hex, int64_t expected_size,
                             char **data, size_t *n, struct yj_error *err);

/* What attach_blobs_copy did. */
struct attach_copy_stats {
    size_t copied;  /* blobs written to the destination */
    size_t present; /* blobs the destination already had (same name and size) */
    size_t damaged; /* blobs whose bytes no longer match their name: not copied */
    uint64_t bytes; /* bytes written */
};

/*
 * Copies every blob under from_data_dir/blobs to to_data_dir/blobs, with the same
 * layout and durability as attach_blob_put, for `yingji backup`. Incremental: a
 * blob the destination already holds is not read again. Each blob is read whole
 * and checked against its name (SHA-256) before it is written, so a damaged file
 * is counted in stats->damaged (and logged) rather than copied. Blobs are never
 * rewritten or deleted, so copying after a database snapshot finds every blob
 * the snapshot names. YJ_EIO (logged) on a file-system failure.
 */
enum yj_err attach_blobs_copy(const char *from_data_dir, const char *to_data_dir,
                              struct attach_copy_stats *stats, struct yj_error *err);

#endif

/*
 * store_attach.h - attachment rows (the bytes live in DATA/blobs, see
 * attach/attach.h). Included by store.h; see there for the conventions
 * (transactions, arenas, errors).
 *
 * A row is one upload: which file (SHA-256, size, media type as sniffed), under
 * which name, of which kind, for which application of which unit, by whom and
 * when. Rows are never removed: deletion sets deleted_at, because a frozen
 * (submitted) application version may still name the attachment and its blob.
 * Several rows may share one blob (the same file uploaded twice).
 *
 * The applications module uses store_attachment_list and store_attachment_get
 * inside its own read and write transactions (to count kinds at submission and
 * to freeze a version's attachment list).
 */
#ifndef YJ_STORE_ATTACH_H
#define YJ_STORE_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

struct store;
struct store_tx;

struct store_attachment {
    int64_t id;
    const char *sha256;     /* 64 lower-case hex digits: the blob's name */
    int64_t size;           /* bytes */
    const char *media_type; /* as decided from the content, e.g. "application/pdf" */
    const char *filename;   /* the uploader's name for it (checked, UTF-8) */
    const char *kind;       /* a code from attach_kinds, e.g. "risk_assessment_report" */
    int64_t unit_id;
    int64_t application_id; /* 0 when not tied to an application */
    int64_t uploaded_by;    /* user id */
    int64_t uploaded_at;    /* ms */
    int64_t deleted_at;     /* ms; 0 while live */
};

/*
 * Inserts a (strings borrowed for the call; deleted_at ignored, stored live) and
 * sets a->id. Needs a write transaction. YJ_ECONFLICT when a reference is
 * dangling (no such unit or application), YJ_EIO.
 */
enum yj_err store_attachment_insert(struct store_tx *tx, struct store_attachment *a,
                                    struct yj_error *err);

/*
 * Reads attachment id into *out, strings copied into arena a (they live as long
 * as it does). A deleted row is YJ_ENOTFOUND unless include_deleted (for a frozen
 * version that still names it).
 */
enum yj_err store_attachment_get(struct store_tx *tx, int64_t id, bool include_deleted,
                                 struct yj_arena *a, struct store_attachment *out,
                                 struct yj_error *err);

/*
 * The live attachments of an application, oldest first (by id), as an array in
 * arena a (*items, *n; strings in a too). An application holds at most
 * ATTACH_MAX_PER_APPLICATION live ones (the upload refuses more), so this is one
 * small array; an application without any gives *n == 0.
 */
enum yj_err store_attachment_list(struct store_tx *tx, int64_t application_id, struct yj_arena *a,
                                  struct store_attachment **items, size_t *n, struct yj_error *err);

/* How many live attachments the application holds. */
enum yj_err store_attachment_count(struct store_tx *tx, int64_t application_id, int64_t *n,
                                   struct yj_error *err);

/* Soft delete: sets deleted_at = now on a live row. YJ_ENOTFOUND when there is no
 * live attachment id. The blob stays (other rows or versions may use it). */
enum yj_err store_attachment_delete(struct store_tx *tx, int64_t id, int64_t now,
                                    struct yj_error *err);

/*
 * The data directory st was opened on (borrowed; lives as long as st): the blob
 * store sits beside the database, in DATA/blobs.
 */
const char *store_data_dir(const struct store *st);

#endif

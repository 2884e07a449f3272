/*
 * test_attach_blob.c - the content-addressed blob store: the path and hash of a
 * put, idempotence (no rewrite of an existing blob), repair of a damaged one,
 * no temporary file left behind, never a partial file under the final name
 * (watched from another thread during a 20 MiB put), concurrent puts of one
 * content, reads that verify size and hash, and the failure paths (the data
 * directory, the fan-out directory or the final name not usable), and the
 * incremental, verifying copy of all blobs that `yingji backup` makes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach/attach.h"
#include "core/yj.h"

/* SHA-256("abc"), FIPS 180-2 appendix B.1. */
#define ABC_SHA256 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

struct fx {
    char dir[64];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/yj-ut-blob-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    nftw(f->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static char *read_all(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    struct yj_buf b;
    yj_buf_init(&b, (size_t)ATTACH_MAX_SIZE + 1);
    char chunk[65536];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, fp)) > 0)
        assert_int_equal(yj_buf_append(&b, chunk, r), YJ_OK);
    fclose(fp);
    return yj_buf_detach(&b, n);
}

/* How many names in dir start with ".tmp-". */
static int temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, ".tmp-", 5) == 0;
    closedir(d);
    return n;
}

static void test_put_path_and_hash(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    char hex[ATTACH_SHA256_HEX + 1];
    assert_int_equal(attach_blob_put(f->dir, "abc", 3, hex, &e), YJ_OK);
    assert_string_equal(hex, ABC_SHA256);
    char path[4096], want[4096];
    assert_int_equal(attach_blob_path(f->dir, hex, path, sizeof path, &e), YJ_OK);
    snprintf(want, sizeof want, "%s/blobs/ba/%s", f->dir, ABC_SHA256);
    assert_string_equal(path, want);
    size_t n;
    char *data = read_all(path, &n);
    assert_non_null(data);
    assert_int_equal(n, 3);
    assert_memory_equal(data, "abc", 3);
    free(data);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/blobs", f->dir);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    snprintf(dir, sizeof dir, "%s/blobs/ba", f->dir);
    assert_int_equal(temp_files(dir), 0);
}

static void test_put_idempotent(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    char hex[ATTACH_SHA256_HEX + 1], hex2[ATTACH_SHA256_HEX + 1], path[4096];
    assert_int_equal(attach_blob_put(f->dir, "same bytes", 10, hex, &e), YJ_OK);
    assert_int_equal(attach_blob_path(f->dir, hex, path, sizeof path, &e), YJ_OK);
    struct stat before, after;
    assert_int_equal(stat(path, &before), 0);
    assert_int_equal(attach_blob_put(f->dir, "same bytes", 10, hex2, &e), YJ_OK);
    assert_string_equal(hex, hex2);
    assert_int_equal(stat(path, &after), 0);
    /* The same inode: a rewrite would have renamed a new file into place. */
    assert_int_equal(before.st_ino, after.st_ino);

    /* A blob of the wrong size under the name (damage) is replaced whole. */
    assert_int_equal(truncate(path, 4), 0);
    assert_int_equal(attach_blob_put(f->dir, "same bytes", 10, hex2, &e), YJ_OK);
    size_t n;
    char *data = read_all(path, &n);
    assert_int_equal(n, 10);
    assert_memory_equal(data, "same bytes", 10);
    free(data);
    assert_int_equal(stat(path, &after), 0);
    assert_int_not_equal(before.st_ino, after.st_ino);

    /* Another content goes to its own name. */
    assert_int_equal(attach_blob_put(f->dir, "other bytes", 11, hex2, &e), YJ_OK);
    assert_string_not_equal(hex, hex2);
}

static void test_read_verifies(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    char hex[ATTACH_SHA256_HEX + 1], path[4096];
    static const char content[] = "%PDF-1.4 pretend\n%%EOF\n";
    size_t len = sizeof content - 1;
    assert_int_equal(attach_blob_put(f->dir, content, len, hex, &e), YJ_OK);
    char *data;
    size_t n;
    assert_int_equal(attach_blob_read(f->dir, hex, (int64_t)len, &data, &n, &e), YJ_OK);
    assert_int_equal(n, len);
    assert_memory_equal(data, content, len);
    free(data);

    int fd;
    assert_int_equal(attach_blob_open(f->dir, hex, &fd, &e), YJ_OK);
    char c;
    assert_int_equal(read(fd, &c, 1), 1);
    assert_int_equal(c, '%');
    close(fd);

    /* The row says another size: damaged, and nothing is handed out. */
    assert_int_equal(attach_blob_read(f->dir, hex, (int64_t)len + 1, &data, &n, &e), YJ_EIO);
    assert_null(data);
    assert_string_equal(e.msg, "the stored file is damaged");
    /* Same size, one byte changed on disk. */
    assert_int_equal(attach_blob_path(f->dir, hex, path, sizeof path, &e), YJ_OK);
    int w = open(path, O_WRONLY);
    assert_true(w >= 0);
    assert_int_equal(pwrite(w, "X", 1, 3), 1);
    close(w);
    assert_int_equal(attach_blob_read(f->dir, hex, (int64_t)len, &data, &n, &e), YJ_EIO);
    assert_null(data);
    /* Missing, malformed, impossible. */
    static const char missing[] =
        "0000000000000000000000000000000000000000000000000000000000000000";
    assert_int_equal(attach_blob_read(f->dir, missing, 1, &data, &n, &e), YJ_ENOTFOUND);
    assert_int_equal(attach_blob_open(f->dir, missing, &fd, &e), YJ_ENOTFOUND);
    assert_int_equal(attach_blob_read(f->dir, hex, (int64_t)ATTACH_MAX_SIZE + 1, &data, &n, &e),
                     YJ_EINVAL);
    assert_int_equal(attach_blob_open(f->dir, "../../etc/passwd", &fd, &e), YJ_EINVAL);
}

static void test_hex_and_path(void **state)
{
    struct fx *f = *state;
    assert_true(attach_sha256_hex_ok(ABC_SHA256));
    assert_false(attach_sha256_hex_ok(NULL));
    assert_false(attach_sha256_hex_ok(""));
    assert_false(
        attach_sha256_hex_ok("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
    assert_false(attach_sha256_hex_ok(ABC_SHA256 "0"));
    assert_false(
        attach_sha256_hex_ok("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a/"));
    struct yj_error e;
    char small[32];
    assert_int_equal(attach_blob_path(f->dir, ABC_SHA256, small, sizeof small, &e), YJ_EINVAL);
    assert_int_equal(attach_blob_path(f->dir, "ab", small, sizeof small, &e), YJ_EINVAL);
}

static void test_too_big(void **state)
{
    struct fx *f = *state;
    size_t n = (size_t)ATTACH_MAX_SIZE + 1;
    char *big = calloc(1, n);
    assert_non_null(big);
    struct yj_error e;
    char hex[ATTACH_SHA256_HEX + 1];
    assert_int_equal(attach_blob_put(f->dir, big, n, hex, &e), YJ_ETOOBIG);
    free(big);
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/blobs", f->dir);
    struct stat sb;
    assert_int_not_equal(stat(dir, &sb), 0);
}

/* --- never a partial file under the final name ----------------------------------- */

struct watch {
    char path[4096];
    size_t size;
    atomic_bool done;
    long looks, partial, seen_whole;
};

static void *watch_main(void *arg)
{
    struct watch *w = arg;
    while (!atomic_load(&w->done)) {
        struct stat sb;
        w->looks++;
        if (stat(w->path, &sb) == 0) {
            if ((size_t)sb.st_size != w->size)
                w->partial++;
            else
                w->seen_whole++;
        }
    }
    return NULL;
}

static void test_put_atomic(void **state)
{
    struct fx *f = *state;
    size_t n = ATTACH_MAX_SIZE;
    char *big = malloc(n);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)(i * 2654435761u >> 24);
    /* The final name is known before the put: watch it while the put runs. */
    unsigned char h[32];
    char hex[ATTACH_SHA256_HEX + 1], got[ATTACH_SHA256_HEX + 1];
    yj_sha256(big, n, h);
    yj_hex(h, sizeof h, hex);
    struct watch *w = calloc(1, sizeof *w);
    assert_non_null(w);
    struct yj_error e;
    assert_int_equal(attach_blob_path(f->dir, hex, w->path, sizeof w->path, &e), YJ_OK);
    w->size = n;
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, watch_main, w), 0);
    assert_int_equal(attach_blob_put(f->dir, big, n, got, &e), YJ_OK);
    atomic_store(&w->done, true);
    pthread_join(t, NULL);
    assert_string_equal(got, hex);
    assert_int_equal(w->partial, 0);
    assert_true(w->looks > 0);
    char *data;
    size_t len;
    assert_int_equal(attach_blob_read(f->dir, hex, (int64_t)n, &data, &len, &e), YJ_OK);
    assert_int_equal(len, n);
    assert_memory_equal(data, big, n);
    free(data);
    free(big);
    free(w);
}

/* --- the same content from many threads at once ----------------------------------- */

struct racer {
    const char *dir;
    enum yj_err rc;
    char hex[ATTACH_SHA256_HEX + 1];
};

static void *race_main(void *arg)
{
    struct racer *r = arg;
    static const char content[] = "uploaded twice, stored once";
    struct yj_error e;
    r->rc = attach_blob_put(r->dir, content, sizeof content - 1, r->hex, &e);
    return NULL;
}

static void test_put_concurrent(void **state)
{
    struct fx *f = *state;
    struct racer r[8];
    pthread_t t[8];
    for (int i = 0; i < 8; i++) {
        r[i].dir = f->dir;
        assert_int_equal(pthread_create(&t[i], NULL, race_main, &r[i]), 0);
    }
    for (int i = 0; i < 8; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(r[i].rc, YJ_OK);
        assert_string_equal(r[i].hex, r[0].hex);
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/blobs/%.2s", f->dir, r[0].hex);
    assert_int_equal(temp_files(dir), 0);
    char *data;
    size_t n;
    struct yj_error e;
    assert_int_equal(attach_blob_read(f->dir, r[0].hex, 27, &data, &n, &e), YJ_OK);
    free(data);
}

/* --- failure paths ------------------------------------------------------------------ */

static void test_put_failures(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    char hex[ATTACH_SHA256_HEX + 1], path[4096];

    /* The data directory is a file. */
    snprintf(path, sizeof path, "%s/not-a-dir", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fclose(fp);
    yj_error_clear(&e);
    assert_int_equal(attach_blob_put(path, "abc", 3, hex, &e), YJ_EIO);
    assert_string_equal(e.msg, "cannot store or read the file");

    /* The fan-out directory is a file. */
    snprintf(path, sizeof path, "%s/blobs", f->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/blobs/ba", f->dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(attach_blob_put(f->dir, "abc", 3, hex, &e), YJ_EIO);
    assert_int_equal(unlink(path), 0);

    /* The final name is taken by a directory: the rename fails, and the
     * temporary file is removed again. */
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/blobs/ba/%s", f->dir, ABC_SHA256);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(attach_blob_put(f->dir, "abc", 3, hex, &e), YJ_EIO);
    snprintf(path, sizeof path, "%s/blobs/ba", f->dir);
    assert_int_equal(temp_files(path), 0);
}

/* The copy `yingji backup` makes: everything once, then only what is new; stray
 * temporary files are not blobs; a damaged blob is counted, never copied. */
static void test_blobs_copy(void **state)
{
    struct fx *f = *state;
    struct yj_error e;
    char src[128], dst[128], hex1[ATTACH_SHA256_HEX + 1], hex2[ATTACH_SHA256_HEX + 1];
    char path[4096];
    snprintf(src, sizeof src, "%s/src", f->dir);
    snprintf(dst, sizeof dst, "%s/dst", f->dir);
    assert_int_equal(mkdir(src, 0700), 0);
    assert_int_equal(mkdir(dst, 0700), 0);
    struct attach_copy_stats cs;

    /* No blobs directory yet: nothing to do, not an error. */
    assert_int_equal(attach_blobs_copy(src, dst, &cs, &e), YJ_OK);
    assert_int_equal(cs.copied + cs.present + cs.damaged, 0);

    assert_int_equal(attach_blob_put(src, "first file", 10, hex1, &e), YJ_OK);
    assert_int_equal(attach_blob_put(src, "second file!", 12, hex2, &e), YJ_OK);
    /* A temporary file an interrupted write left behind. */
    snprintf(path, sizeof path, "%s/blobs/%.2s/.tmp-0123456789abcdef", src, hex1);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("partial", fp);
    fclose(fp);

    assert_int_equal(attach_blobs_copy(src, dst, &cs, &e), YJ_OK);
    assert_int_equal(cs.copied, 2);
    assert_int_equal(cs.present, 0);
    assert_int_equal(cs.damaged, 0);
    assert_int_equal(cs.bytes, 22);
    char *data;
    size_t n;
    assert_int_equal(attach_blob_read(dst, hex1, 10, &data, &n, &e), YJ_OK);
    assert_memory_equal(data, "first file", 10);
    free(data);
    assert_int_equal(attach_blob_read(dst, hex2, 12, &data, &n, &e), YJ_OK);
    free(data);
    snprintf(path, sizeof path, "%s/blobs/%.2s", dst, hex1);
    assert_int_equal(temp_files(path), 0);

    /* Again: both are there already; a new one is the only copy. */
    char hex3[ATTACH_SHA256_HEX + 1];
    assert_int_equal(attach_blob_put(src, "third", 5, hex3, &e), YJ_OK);
    assert_int_equal(attach_blobs_copy(src, dst, &cs, &e), YJ_OK);
    assert_int_equal(cs.copied, 1);
    assert_int_equal(cs.present, 2);

    /* Damage at the source (same size, other bytes): a fresh copy leaves it out. */
    assert_int_equal(attach_blob_path(src, hex2, path, sizeof path, &e), YJ_OK);
    int w = open(path, O_WRONLY);
    assert_true(w >= 0);
    assert_int_equal(pwrite(w, "S", 1, 0), 1);
    close(w);
    char fresh[128];
    snprintf(fresh, sizeof fresh, "%s/fresh", f->dir);
    assert_int_equal(mkdir(fresh, 0700), 0);
    assert_int_equal(attach_blobs_copy(src, fresh, &cs, &e), YJ_OK);
    assert_int_equal(cs.copied, 2);
    assert_int_equal(cs.damaged, 1);
    int fd;
    assert_int_equal(attach_blob_open(fresh, hex2, &fd, &e), YJ_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_put_path_and_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_idempotent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hex_and_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_big, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_concurrent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blobs_copy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

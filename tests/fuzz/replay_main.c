/*
 * replay_main.c - a main() for fuzz targets in the normal test build: feeds
 * every file under the given directories (recursively) and the given files to
 * LLVMFuzzerTestOneInput once, in sorted path order, so each corpus replays
 * under ASan and UBSan in `make test` without libFuzzer. A crash, sanitizer
 * report or failed FUZZ_CHECK fails the test; otherwise it exits 0.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Set by the sanitizer runtimes (ASan, UBSan), absent without them. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/* The input being run, named when the run dies so the failure can be replayed alone. */
static const char *current_input;

static void name_current_input(void)
{
    static const char prefix[] = "replay: failed on input ";
    if (!current_input)
        return;
    /* write(2) alone: this may run in a signal handler. */
    ssize_t ignored = write(STDERR_FILENO, prefix, sizeof prefix - 1);
    ignored = write(STDERR_FILENO, current_input, strlen(current_input));
    ignored = write(STDERR_FILENO, "\n", 1);
    (void)ignored;
}

/* A failed FUZZ_CHECK aborts; say which input did it, then die of the same signal. */
static void on_abort(int sig)
{
    name_current_input();
    signal(sig, SIG_DFL);
    raise(sig);
}

struct path_list {
    char **items;
    size_t n, cap;
};

static int list_add(struct path_list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return -1;
        l->items = items;
        l->cap = cap;
    }
    size_t len = strlen(path);
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, path, len + 1);
    l->items[l->n++] = copy;
    return 0;
}

/* Adds path if it is a file, or every file below it if it is a directory. */
static int collect(struct path_list *l, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return S_ISREG(st.st_mode) ? list_add(l, path) : 0;
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(path) + 1 + strlen(e->d_name) + 1;
        char *child = malloc(n);
        if (!child) {
            rc = -1;
            break;
        }
        snprintf(child, n, "%s/%s", path, e->d_name);
        rc = collect(l, child);
        free(child);
    }
    closedir(d);
    return rc;
}

static int path_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the whole file into an exactly sized buffer, so ASan sees any read past the input. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        cap *= 2;
        uint8_t *bigger = realloc(buf, cap);
        if (!bigger)
            free(buf);
        buf = bigger;
    }
    int failed = !buf || ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return -1;
    }
    /* Copy into a buffer of exactly n bytes (malloc(0) may be NULL: keep one byte then). */
    uint8_t *exact = malloc(n ? n : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, n);
    free(buf);
    *out = exact;
    *len = n;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
        return 2;
    }
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(name_current_input);
    signal(SIGABRT, on_abort);
    struct path_list files = {NULL, 0, 0};
    int rc = 0;
    for (int i = 1; rc == 0 && i < argc; i++)
        rc = collect(&files, argv[i]);
    if (rc == 0 && files.n)
        qsort(files.items, files.n, sizeof *files.items, path_cmp);
    size_t ran = 0;
    for (size_t i = 0; rc == 0 && i < files.n; i++) {
        uint8_t *data;
        size_t len;
        if (read_file(files.items[i], &data, &len) != 0) {
            fprintf(stderr, "replay: cannot read %s\n", files.items[i]);
            rc = -1;
            break;
        }
        current_input = files.items[i];
        LLVMFuzzerTestOneInput(data, len);
        current_input = NULL;
        free(data);
        ran++;
    }
    for (size_t i = 0; i < files.n; i++)
        free(files.items[i]);
    free(files.items);
    if (rc != 0)
        return 2;
    printf("replay: %zu inputs ran\n", ran);
    return 0;
}

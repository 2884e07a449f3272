/*
 * util.h - small helpers every module uses: randomness, encodings, strict
 * number parsing and UTF-8 checks.
 */
#ifndef YJ_CORE_UTIL_H
#define YJ_CORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Fills buf with n cryptographically secure random bytes (libsodium). */
void yj_random(void *buf, size_t n);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void yj_hex(const unsigned char *in, size_t n, char *out);

/*
 * URL-safe base64 without padding of n bytes into out, which must hold
 * yj_b64url_len(n) bytes (NUL included).
 */
size_t yj_b64url_len(size_t n);
void yj_b64url(const unsigned char *in, size_t n, char *out);

/* Decodes URL-safe unpadded base64; returns the byte count or -1 (malformed, too long). */
long yj_b64url_decode(const char *in, unsigned char *out, size_t max);

/*
 * Strict decimal parse of the whole string into [min, max]. No leading '+',
 * spaces or trailing bytes. Returns 0, or -1.
 */
int yj_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* 1 when the n bytes are valid UTF-8 without NUL and without C0 controls other than \t \n \r. */
int yj_utf8_text_ok(const char *s, size_t n);

/* A string cut to fit a buffer (len bytes kept) may end inside a UTF-8 sequence:
 * drops that partial character, so it stays text (jansson refuses invalid UTF-8). */
void yj_utf8_cut(char *s, size_t len);

/* Count of code points in valid UTF-8. */
size_t yj_utf8_chars(const char *s);

/* Constant-time equality of two n-byte buffers. */
int yj_ct_equal(const void *a, const void *b, size_t n);

/* SHA-256 of n bytes (libsodium) into out[32]. */
void yj_sha256(const void *in, size_t n, unsigned char out[32]);

#endif

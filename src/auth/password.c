/*
 * password.c - Argon2id password hashing (libsodium) and the lockout rules.
 */
#include <sodium.h>

#include "auth/auth.h"
#include "core/yj.h"

enum yj_err auth_password_policy(const char *pw, const char *field, struct yj_error *err)
{
    if (!pw)
        return yj_error_set(err, YJ_EINVAL, field, "required");
    size_t n = strlen(pw);
    if (!yj_utf8_text_ok(pw, n))
        return yj_error_set(err, YJ_EINVAL, field, "must be UTF-8 text without control characters");
    size_t chars = yj_utf8_chars(pw);
    if (chars < AUTH_PASSWORD_MIN)
        return yj_error_set(err, YJ_EINVAL, field, "must be at least %d characters",
                            AUTH_PASSWORD_MIN);
    if (chars > AUTH_PASSWORD_MAX)
        return yj_error_set(err, YJ_EINVAL, field, "must be at most %d characters",
                            AUTH_PASSWORD_MAX);
    return YJ_OK;
}

enum yj_err auth_password_hash(const char *pw, char *out, struct yj_error *err)
{
    _Static_assert(crypto_pwhash_STRBYTES <= AUTH_HASH_MAX, "hash buffer too small");
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return yj_error_set(err, YJ_ENOMEM, NULL, "cannot hash the password (out of memory)");
    return YJ_OK;
}

int auth_password_verify(const char *hash, const char *pw)
{
    if (!hash || !pw)
        return 0;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

void auth_password_burn(const char *pw)
{
    /* A fixed hash computed once; verifying against it costs what a real check costs. */
    static char dummy[crypto_pwhash_STRBYTES];
    static int ready;
    if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE)) {
        char tmp[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str_alg(
                tmp, "yingji-dummy-password", 21, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
            return;
        memcpy(dummy, tmp, sizeof tmp);
        __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
    }
    if (crypto_pwhash_str_verify(dummy, pw ? pw : "", pw ? strlen(pw) : 0) == 0)
        return; /* the dummy password itself: nothing to do either way */
}

void auth_password_generate(char *out, size_t n)
{
    /* No 0/O, 1/l/I: the password is read off a terminal and typed in once. */
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    for (size_t i = 0; i + 1 < n; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[n - 1] = '\0';
}

int auth_user_locked(const struct store_user *u, int64_t now)
{
    return u->locked_until > now;
}

int auth_user_fail(struct store_user *u, int64_t now)
{
    u->failed_logins++;
    if (u->failed_logins >= AUTH_LOCK_THRESHOLD) {
        u->failed_logins = 0;
        u->locked_until = now + AUTH_LOCK_MS;
        return 1;
    }
    return 0;
}

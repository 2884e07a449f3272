/*
 * banned.h - functions yingji must not call. Included (last) by core/yj.h;
 * any use after it is a compile error. Use snprintf, yj_buf, strtoll with end
 * checks, gmtime_r/yj_time_format instead.
 */
#ifndef YJ_CORE_BANNED_H
#define YJ_CORE_BANNED_H

/* clang refuses to poison names that _FORTIFY_SOURCE defined as macros; gcc builds
 * (every normal and CI build) still enforce the list. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC poison strcpy strcat sprintf vsprintf strtok gets atoi atol atoll gmtime localtime
#pragma GCC poison strncpy asctime ctime
#endif

#endif

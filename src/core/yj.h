/*
 * yj.h - the core every module includes: errors, buffers, arenas, clock, log,
 * helpers; and, last, the banned-function list.
 */
#ifndef YJ_CORE_YJ_H
#define YJ_CORE_YJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/log.h"
#include "core/util.h"

#define YJ_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#include "core/banned.h"

#endif

/*
 * store_attach.h - attachment rows (the bytes live in DATA/blobs). Included by
 * store.h.
 */
#ifndef YJ_STORE_ATTACH_H
#define YJ_STORE_ATTACH_H

#endif

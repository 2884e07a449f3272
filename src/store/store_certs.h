/*
 * store_certs.h - certificates, their status history, re-qualification tasks
 * and the bans revocations impose. Included by store.h.
 */
#ifndef YJ_STORE_CERTS_H
#define YJ_STORE_CERTS_H

#endif

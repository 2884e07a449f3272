/*
 * api_attach.h - handlers of attachments (upload, download) and the campaign exports (XLSX, CSV,
 * HTML, PDF). Their routes are listed in routes_attach.inc.
 *
 * Attachments (attach_api.c; the contract is docs/api-attach.md): the body of an
 * upload is the raw file, whose type is decided from its bytes; access follows
 * the application's (AUTH_APPLICATION_WRITE to add or remove, while the
 * application is a draft or returned; AUTH_APPLICATION_READ to list and
 * download), decided on store_application_facts.
 */
#ifndef YJ_API_ATTACH_H
#define YJ_API_ATTACH_H

#include "attach/attach.h" /* ATTACH_MAX_SIZE, the upload route's body limit */
#include "http/http.h"

/* POST /api/v1/applications/{id}/attachments?kind=&filename= (body: the file). */
void api_attachments_upload(void *app, struct http_request *req, struct http_response *resp);
/* GET /api/v1/applications/{id}/attachments */
void api_attachments_list(void *app, struct http_request *req, struct http_response *resp);
/* GET /api/v1/attachments/{id} */
void api_attachments_get(void *app, struct http_request *req, struct http_response *resp);
/* GET /api/v1/attachments/{id}/content */
void api_attachments_content(void *app, struct http_request *req, struct http_response *resp);
/* DELETE /api/v1/attachments/{id} */
void api_attachments_delete(void *app, struct http_request *req, struct http_response *resp);
/* GET /api/v1/reference/attachment-kinds */
void api_reference_attachment_kinds(void *app, struct http_request *req,
                                    struct http_response *resp);

#endif

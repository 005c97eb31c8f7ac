/*
 * assets.h: the play page's static files, embedded into gomoku-httpd at
 * build time (generated from the files under web/ by web/CMakeLists.txt),
 * so the daemon stays one file with no document root to configure.
 * Read-only data; thread-safe.
 */
#ifndef GOMOKU_WEB_ASSETS_H
#define GOMOKU_WEB_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
    const char *path;         /* URL path, e.g. "/index.html", "/app.js" */
    const char *content_type; /* e.g. "text/html; charset=utf-8" */
    const unsigned char *data;
    size_t size;
    const char *etag; /* strong validator: a quoted hash of the content */
} web_asset_t;

/* The asset served at url_path ("/" is "/index.html"), or NULL. */
const web_asset_t *web_asset_find(const char *url_path);

#endif

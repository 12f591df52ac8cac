/* winnow-json.h: JSON text without a tree.
 *
 * json-glib parses into a tree, recursively: a document nested 100,000
 * levels deep overflows its stack, and a result with 100,000 column
 * profiles costs hundreds of megabytes as nodes. So text that may be
 * hostile is checked here before json-glib sees it (strict RFC 8259, a
 * bounded depth), and large results are written straight to text.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Deeper than any recipe (3 levels) or result (5 levels) can be. */
#define WINNOW_JSON_MAX_DEPTH 32

#define WINNOW_JSON_ERROR (winnow_json_error_quark ())
GQuark winnow_json_error_quark (void);

typedef enum {
  WINNOW_JSON_ERROR_SYNTAX,     /* not strict JSON */
  WINNOW_JSON_ERROR_TOO_DEEP,   /* nested deeper than allowed */
} WinnowJsonError;

typedef gboolean (*WinnowJsonFunc) (const char *key,
                                    gsize key_length,
                                    const char *value,
                                    gsize value_length,
                                    gpointer data);

gboolean winnow_json_check         (const char *text,
                                    gsize length,
                                    guint max_depth,
                                    GError **error);

gboolean winnow_json_foreach       (const char *text,
                                    gsize length,
                                    WinnowJsonFunc func,
                                    gpointer data);

void     winnow_json_append_string (GString *out,
                                    const char *text);
void     winnow_json_append_double (GString *out,
                                    double value);

G_END_DECLS

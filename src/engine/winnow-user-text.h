/* winnow-user-text.h: text that came from a user or a file, made safe to
 * show.
 *
 * Messages quote a recipe's values, a file's column names and file names:
 * any of them can be megabytes long, hold control characters or not be
 * UTF-8. An excerpt keeps a message short and printable; the escapes keep
 * one line of script-readable output one line, and JSON valid.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The most characters of user text a message quotes. */
#define WINNOW_EXCERPT_CHARS 80

char *winnow_user_text_excerpt     (const char *text);
char *winnow_user_text_escape_line (const char *text);
char *winnow_user_text_to_utf8     (const char *text);

G_END_DECLS

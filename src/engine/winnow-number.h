/* winnow-number.h: locale-independent number parsing and formatting.
 *
 * The parser decides what counts as a number for mean/median fills, the
 * formula guard and the column profile; it follows pandas' to_numeric
 * (surrounding whitespace allowed) but accepts only finite values. The
 * formatter writes a double as Python's repr() does, without ".0" on
 * integral values (docs/BEHAVIOUR.md 7.1 and 7.3).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean winnow_number_parse      (const char *text,
                                   gsize       length,
                                   double     *value,
                                   gboolean   *integer);
char    *winnow_number_format     (double      value);

G_END_DECLS

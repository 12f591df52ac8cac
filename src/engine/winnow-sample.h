/* winnow-sample.h: the first rows of a file, for the configuration dialog.
 *
 * A sample reads the header and the first rows of a file the way a task
 * would (delimiter and encoding sniffed, the recipe's quote, header and
 * bad-lines settings) and keeps them as a small UTF-8 CSV file of its own.
 * The real cleaner then runs over that file: once with no steps for the
 * column profile, and once per recipe for the "what will happen" counts,
 * so the dialog's numbers are exactly what a task does to those rows.
 *
 * Reading a sample costs the first chunk of the file, whatever its size.
 * Everything here is blocking: call it on a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "winnow-recipe.h"
#include "winnow-result.h"

G_BEGIN_DECLS

#define WINNOW_SAMPLE_ROWS 5000

typedef struct _WinnowSample WinnowSample;

WinnowSample *winnow_sample_read          (const char *path,
                                           const WinnowRecipe *recipe,
                                           guint max_rows,
                                           GCancellable *cancellable,
                                           GError **error);
WinnowSample *winnow_sample_ref           (WinnowSample *sample);
void          winnow_sample_unref         (WinnowSample *sample);

guint         winnow_sample_get_n_columns (const WinnowSample *sample);
const char   *winnow_sample_get_column    (const WinnowSample *sample,
                                           guint column);
GPtrArray    *winnow_sample_get_columns   (const WinnowSample *sample);
guint64       winnow_sample_get_n_rows    (const WinnowSample *sample);
gboolean      winnow_sample_is_whole_file (const WinnowSample *sample);
gunichar      winnow_sample_get_delimiter (const WinnowSample *sample);
const char   *winnow_sample_get_encoding  (const WinnowSample *sample);
guint64       winnow_sample_get_bad_lines (const WinnowSample *sample);
guint64       winnow_sample_get_file_size (const WinnowSample *sample);

WinnowResult *winnow_sample_clean         (const WinnowSample *sample,
                                           const WinnowRecipe *recipe,
                                           gboolean profile_only,
                                           GCancellable *cancellable,
                                           GError **error);

GPtrArray    *winnow_read_header          (const char *path,
                                           const WinnowRecipe *recipe,
                                           GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowSample, winnow_sample_unref)

G_END_DECLS

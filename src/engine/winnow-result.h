/* winnow-result.h: what a finished task reports: counts (one per step
 * that counts, named by its entry in winnow-step.h), sizes, time, how the
 * file was read, warnings, the profile of every output column and a
 * preview of the first output rows. It travels as JSON to the store, the
 * CLI's --json and the UI (docs/BEHAVIOUR.md, "Results").
 */
#pragma once

#include <glib-object.h>

#include "winnow-step.h"
#include "winnow-value-counter.h"

G_BEGIN_DECLS

#define WINNOW_PREVIEW_ROWS 50
/* A preview shows at most this many columns, the first ones: a file of
 * 100,000 columns would otherwise copy all its first rows into every
 * result, and no table shows that many. */
#define WINNOW_PREVIEW_COLUMNS 100
#define WINNOW_TOP_VALUES 5
/* A number column's profile counts its values in at most this many
 * equal bins (a picture of their spread, for the UI's charts). */
#define WINNOW_HISTOGRAM_BINS 32

typedef enum {
  WINNOW_COLUMN_EMPTY,
  WINNOW_COLUMN_INTEGER,
  WINNOW_COLUMN_FLOAT,
  WINNOW_COLUMN_BOOLEAN,
  WINNOW_COLUMN_DATE,
  WINNOW_COLUMN_TEXT,
} WinnowColumnType;

typedef struct {
  char *name;
  WinnowColumnType type;
  guint64 missing_before;   /* in the rows read */
  guint64 missing_after;    /* in the rows written */
  guint64 cells[WINNOW_N_STEPS];  /* cells a step changed, for steps with a cells_key */
  guint64 distinct;
  gboolean distinct_exact;
  gboolean has_numbers;     /* min/max/mean are set */
  double min;
  double max;
  double mean;
  /* numbers counted in histogram_bins bins (0: none), bin i holding
   * [histogram_start + i * histogram_width, + histogram_width); a width
   * of 0 when every number is the same */
  guint histogram_bins;
  double histogram_start;
  double histogram_width;
  guint64 histogram[WINNOW_HISTOGRAM_BINS];
  GPtrArray *top_values;    /* of WinnowTopValue */
} WinnowColumnProfile;

typedef struct {
  guint64 line;
  guint fields;
} WinnowResultBadLine;

typedef struct {
  guint64 rows_read;          /* data rows, bad lines included */
  guint64 rows_written;
  guint64 bad_lines_skipped;
  /* per step: rows dropped, cells changed, columns dropped (drop_columns:
   * columns_dropped->len); the JSON names those of steps with a count_key */
  guint64 counts[WINNOW_N_STEPS];
  GPtrArray *columns_dropped; /* of char* */
  guint64 bytes_in;
  guint64 bytes_out;
  double elapsed;             /* seconds */
  guint passes;
  char *encoding;
  gunichar delimiter;         /* the input's, as read or sniffed */
  GPtrArray *warnings;        /* of char* */
  GArray *bad_lines;          /* of WinnowResultBadLine, the first 100 */
  GPtrArray *columns;         /* of WinnowColumnProfile* */
  GPtrArray *preview_header;  /* of char*, the first WINNOW_PREVIEW_COLUMNS */
  GPtrArray *preview;         /* of GStrv, as wide as preview_header */
} WinnowResult;

GType          winnow_result_get_type (void) G_GNUC_CONST;
#define WINNOW_TYPE_RESULT (winnow_result_get_type ())

WinnowResult  *winnow_result_new       (void);
WinnowResult  *winnow_result_copy      (const WinnowResult *result);
void           winnow_result_free      (WinnowResult *result);
void           winnow_result_add_warning (WinnowResult *result,
                                          const char *format,
                                          ...) G_GNUC_PRINTF (2, 3);

guint64        winnow_result_get_rows_rejected (const WinnowResult *result);
char          *winnow_result_describe_counts (const WinnowResult *result);

char          *winnow_result_to_json   (const WinnowResult *result);
typedef enum {
  WINNOW_RESULT_SUMMARY,   /* every member but the two below */
  WINNOW_RESULT_COLUMNS,
  WINNOW_RESULT_PREVIEW,
} WinnowResultPart;

char          *winnow_result_part_to_json (const WinnowResult *result,
                                           WinnowResultPart part);
WinnowResult  *winnow_result_new_from_json (const char *json,
                                            GError **error);

WinnowColumnProfile *winnow_column_profile_new  (const char *name);
void                 winnow_column_profile_free (WinnowColumnProfile *profile);
const char          *winnow_column_type_to_string (WinnowColumnType type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowResult, winnow_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowColumnProfile, winnow_column_profile_free)

G_END_DECLS

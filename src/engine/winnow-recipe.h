/* winnow-recipe.h: a task's cleaning configuration (docs/BEHAVIOUR.md).
 *
 * A recipe is a plain value: the UI and the CLI fill in its public fields,
 * and it travels as JSON (stored with each task, saved as a file, read by
 * `winnow --batch --recipe`). Column names are checked against a file's
 * header only when a task runs (see WinnowPlan).
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WINNOW_RECIPE_VERSION 1

/* A recipe's JSON is at most this large (a few kilobytes is usual): a
 * larger one is refused before it is parsed. */
#define WINNOW_RECIPE_MAX_BYTES (1024 * 1024)

#define WINNOW_RECIPE_ERROR (winnow_recipe_error_quark ())
GQuark winnow_recipe_error_quark (void);

typedef enum {
  WINNOW_RECIPE_ERROR_PARSE,    /* not JSON at all */
  WINNOW_RECIPE_ERROR_INVALID,  /* JSON, but not a valid recipe */
  WINNOW_RECIPE_ERROR_COLUMN,   /* names a column the file does not have */
} WinnowRecipeError;

typedef enum {
  WINNOW_BAD_LINES_ERROR,
  WINNOW_BAD_LINES_SKIP,
  WINNOW_BAD_LINES_WARN,
} WinnowBadLines;

typedef enum {
  WINNOW_KEEP_FIRST,
  WINNOW_KEEP_LAST,
  WINNOW_KEEP_NONE,
} WinnowKeep;

typedef enum {
  WINNOW_HOW_ANY,
  WINNOW_HOW_ALL,
} WinnowHow;

typedef enum {
  WINNOW_FILL_VALUE,
  WINNOW_FILL_MEAN,
  WINNOW_FILL_MEDIAN,
  WINNOW_FILL_MODE,
  WINNOW_FILL_FFILL,
  WINNOW_FILL_BFILL,
} WinnowFillStrategy;

typedef struct {
  char *column;
  WinnowFillStrategy strategy;
  char *value;   /* WINNOW_FILL_VALUE only */
  gint64 limit;  /* ffill/bfill: 0 means no limit */
} WinnowFillRule;

/* Whole fields of @column equal to one of @from become @to (NULL: missing). */
typedef struct {
  char *column;
  GPtrArray *from;   /* of char* */
  char *to;
} WinnowReplaceRule;

/* A delimiter is one Unicode character (a code point); 0 as the input
 * delimiter means "auto" (sniffed), as the output delimiter "same" (the
 * input's, as read or sniffed: winnow_recipe_output_delimiter()). */
typedef struct {
  /* input */
  gunichar delimiter;
  char quote;
  char *encoding;          /* "auto" or an iconv name */
  gboolean header;
  GPtrArray *na_values;    /* of char*; the NA tokens */
  WinnowBadLines bad_lines;

  /* steps, in the order they run (winnow-step.h) */
  GPtrArray *drop_columns; /* of char* */
  gboolean trim_whitespace;

  GPtrArray *replace;            /* of WinnowReplaceRule* */

  gboolean drop_duplicates;
  GPtrArray *duplicates_subset;  /* of char*; empty = every remaining column */
  WinnowKeep keep;

  gboolean drop_missing;
  WinnowHow how;
  gint64 thresh;                 /* -1 when "how" is used */
  GPtrArray *missing_subset;     /* of char*; empty = every column */

  GPtrArray *fill;               /* of WinnowFillRule* */

  /* output */
  gunichar out_delimiter;
  gboolean crlf;
  gboolean formula_guard;
  gboolean rejects;        /* also write the dropped rows beside the output
                            * (winnow_output_file_rejects_path()) */
} WinnowRecipe;

GType           winnow_recipe_get_type        (void) G_GNUC_CONST;
#define WINNOW_TYPE_RECIPE (winnow_recipe_get_type ())

WinnowRecipe   *winnow_recipe_new             (void);
WinnowRecipe   *winnow_recipe_new_default     (void);
WinnowRecipe   *winnow_recipe_copy            (const WinnowRecipe *recipe);
void            winnow_recipe_free            (WinnowRecipe *recipe);
gboolean        winnow_recipe_equal           (const WinnowRecipe *a,
                                               const WinnowRecipe *b);

WinnowRecipe   *winnow_recipe_new_from_json   (const char   *json,
                                               gssize        length,
                                               GError      **error);
WinnowRecipe   *winnow_recipe_new_from_file   (const char   *path,
                                               GError      **error);
char           *winnow_recipe_to_json         (const WinnowRecipe *recipe);
gboolean        winnow_recipe_save            (const WinnowRecipe *recipe,
                                               const char   *path,
                                               GError      **error);

gboolean        winnow_recipe_validate        (const WinnowRecipe *recipe,
                                               GError      **error);

void            winnow_recipe_add_fill        (WinnowRecipe *recipe,
                                               const char   *column,
                                               WinnowFillStrategy strategy,
                                               const char   *value,
                                               gint64        limit);
void            winnow_recipe_add_replace     (WinnowRecipe *recipe,
                                               const char   *column,
                                               GPtrArray    *from,
                                               const char   *to);
gboolean        winnow_recipe_needs_statistics (const WinnowRecipe *recipe);

const char * const *winnow_default_na_values  (void);

const char     *winnow_fill_strategy_to_string   (WinnowFillStrategy strategy);
gboolean        winnow_fill_strategy_from_string (const char *text,
                                                  WinnowFillStrategy *strategy);
const char     *winnow_keep_to_string            (WinnowKeep keep);
gboolean        winnow_keep_from_string          (const char *text,
                                                  WinnowKeep *keep);
const char     *winnow_bad_lines_to_string       (WinnowBadLines policy);
gboolean        winnow_bad_lines_from_string     (const char *text,
                                                  WinnowBadLines *policy);
char           *winnow_delimiter_to_string       (gunichar delimiter,
                                                  const char *zero_word);
gboolean        winnow_delimiter_from_string     (const char *text,
                                                  const char *zero_word,
                                                  gunichar   *delimiter);
gunichar        winnow_recipe_output_delimiter   (const WinnowRecipe *recipe,
                                                  gunichar    input_delimiter);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WinnowRecipe, winnow_recipe_free)

G_END_DECLS

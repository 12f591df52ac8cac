/* winnow-step.h: the recipe's steps, each described once
 * (docs/ARCHITECTURE.md, "How to add a step").
 *
 * A step's entry says everything the layers need to know of it apart
 * from how it cleans rows: its JSON key, how it reads, writes, checks,
 * copies and compares its settings, its command-line options, the
 * sentence the task page shows, and the count it reports (its JSON name
 * in a result, and its words in the forecast, the toast and the task
 * page). The recipe, the batch options, the result, the store and the UI
 * read these entries; only the cleaning itself (the plan, the reader, the
 * cleaner) and the dialog's controls know a step by name.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "winnow-recipe.h"

G_BEGIN_DECLS

/* In the order the steps run (docs/BEHAVIOUR.md). */
typedef enum {
  WINNOW_STEP_DROP_COLUMNS,
  WINNOW_STEP_TRIM,
  WINNOW_STEP_REPLACE,
  WINNOW_STEP_DROP_DUPLICATES,
  WINNOW_STEP_DROP_MISSING,
  WINNOW_STEP_FILL,
} WinnowStepId;

#define WINNOW_N_STEPS 6

typedef enum {
  WINNOW_STEP_OPTION_VALUE,      /* --name VALUE */
  WINNOW_STEP_OPTION_FLAG,       /* --name */
  WINNOW_STEP_OPTION_OPTIONAL,   /* --name or --name=VALUE */
} WinnowStepOptionKind;

/* A command-line option of `winnow --batch` that sets part of a step. The
 * options are applied in the order they were given, on top of --recipe
 * (or of an empty recipe), so a later one wins and a repeated one (--fill)
 * adds; an option that sets part of a step switches the step on. @given
 * holds the names of every option given, for the rules between them
 * ("give either --drop-missing or --thresh"). */
typedef struct {
  const char *name;              /* without "--" */
  WinnowStepOptionKind kind;
  const char *description;       /* marked for translation */
  const char *arg_description;   /* marked for translation, or NULL */
  gboolean  (*apply)       (WinnowRecipe *recipe,
                            GHashTable *given,
                            const char *value,
                            GError **error);
} WinnowStepOption;

typedef struct {
  WinnowStepId id;
  const char *key;               /* the recipe's JSON key */
  const char *count_key;         /* its count in a result's JSON, or NULL */
  const char *cells_key;         /* its count per column in a profile's JSON, or NULL */
  const char *count_label;       /* the count's label on the task page (marked for
                                  * translation), or NULL */
  gboolean drops_rows;           /* its count is of rows dropped (rejected rows) */

  void      (*init)        (WinnowRecipe *recipe);
  void      (*clear)       (WinnowRecipe *recipe);
  void      (*copy)        (WinnowRecipe *copy,
                            const WinnowRecipe *recipe);
  gboolean  (*equal)       (const WinnowRecipe *a,
                            const WinnowRecipe *b);
  gboolean  (*is_on)       (const WinnowRecipe *recipe);
  gboolean  (*read)        (WinnowRecipe *recipe,
                            JsonNode *node,
                            GError **error);
  void      (*write)       (const WinnowRecipe *recipe,
                            JsonBuilder *builder);
  gboolean  (*validate)    (const WinnowRecipe *recipe,
                            GError **error);
  /* adds the sentences the task page says of the step, when it is on */
  void      (*describe)    (const WinnowRecipe *recipe,
                            GPtrArray *lines);
  /* the count in words, e.g. "312 duplicates"; @n_text is @n written
   * for people (digit groups) */
  char     *(*count_words) (guint64 n,
                            const char *n_text);

  const WinnowStepOption *options;  /* ends with a NULL name */
} WinnowStep;

const WinnowStep *winnow_step_get          (WinnowStepId id);
const WinnowStep *winnow_step_find         (const char *key);
char             *winnow_step_count_words  (WinnowStepId id,
                                            guint64 n);
GPtrArray        *winnow_step_describe_recipe (const WinnowRecipe *recipe);

/* For the options' apply(): "A,B" as options write a list, and the error
 * of a value an option does not take. */
void              winnow_step_set_list     (GPtrArray  *list,
                                            const char *text);
gboolean          winnow_step_bad_option   (GError **error,
                                            const char *option,
                                            const char *expected,
                                            const char *value);

G_END_DECLS

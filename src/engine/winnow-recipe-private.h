/* winnow-recipe-private.h: what the recipe's files and its steps share:
 * strict readers of JSON members (each error names the key as the recipe
 * spells it, "fill[2].limit"), writers, and small helpers of the value.
 * The recipe is in winnow-recipe.c (the value, validation),
 * winnow-recipe-json.c (JSON in and out) and src/engine/steps/ (one file
 * per step). */
#pragma once

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "winnow-recipe.h"
#include "winnow-step.h"
#include "winnow-user-text.h"

G_BEGIN_DECLS

gboolean    recipe_invalid        (GError **error,
                                   const char *format,
                                   ...) G_GNUC_PRINTF (2, 3);
const char *recipe_node_type_name (JsonNode *node);
gboolean    recipe_check_keys     (JsonObject *object,
                                   const char *path,
                                   const char * const *allowed,
                                   GError **error);
gboolean    recipe_get_string     (JsonNode *node,
                                   const char *path,
                                   const char **out,
                                   GError **error);
gboolean    recipe_get_bool       (JsonNode *node,
                                   const char *path,
                                   gboolean *out,
                                   GError **error);
gboolean    recipe_get_int        (JsonNode *node,
                                   const char *path,
                                   gint64 min,
                                   gint64 *out,
                                   GError **error);
gboolean    recipe_get_string_list (JsonNode *node,
                                   const char *path,
                                   GPtrArray *out,
                                   GError **error);
gboolean    recipe_read_step      (JsonNode *node,
                                   const char *path,
                                   gboolean *on,
                                   JsonObject **object,
                                   GError **error);
void        recipe_add_string_list (JsonBuilder *builder,
                                   const char *name,
                                   GPtrArray *list);

GPtrArray  *recipe_str_array_new  (void);
GPtrArray  *recipe_str_array_copy (GPtrArray *array);
gboolean    recipe_str_array_equal (GPtrArray *a,
                                   GPtrArray *b);
char       *recipe_join_names     (GPtrArray *names);

/* The steps, in the order they run (winnow-steps.c). */
extern const WinnowStep winnow_step_drop_columns;
extern const WinnowStep winnow_step_trim;
extern const WinnowStep winnow_step_replace;
extern const WinnowStep winnow_step_drop_duplicates;
extern const WinnowStep winnow_step_drop_missing;
extern const WinnowStep winnow_step_fill;

G_END_DECLS

/* winnow-recipe-json.c: the recipe's strict JSON form, read and written:
 * the input and output sections here, each step's part by its entry
 * (winnow-step.h). Unknown keys, wrong types and bad values are errors
 * that name the key as the recipe spells it. */
#include "config.h"

#include "winnow-recipe-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "winnow-json.h"
#include "winnow-output-file.h"

/* ---- JSON reading ---- */

gboolean
recipe_check_keys (JsonObject *object, const char *path, const char * const *allowed, GError **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      if (!g_strv_contains (allowed, key))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) allowed);
          g_autofree char *shown = winnow_user_text_excerpt (key);
          g_autofree char *full = g_strconcat (path, *path ? "." : "", shown, NULL);
          /* Translators: a key of the recipe, then the keys allowed there */
          return recipe_invalid (error, _("%s: unknown key (expected one of: %s)"), full, list);
        }
    }
  return TRUE;
}

/* The last %s of "expected a string, not %s". null and true/false stay
 * untranslated: they are what the recipe says, in JSON. */
const char *
recipe_node_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    /* Translators: what a recipe key held instead, as in "input.header: expected
     * true or false, not a string" */
    case JSON_NODE_OBJECT: return _("an object");
    case JSON_NODE_ARRAY: return _("a list");
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return _("a string");
    case G_TYPE_BOOLEAN: return "true/false";
    case G_TYPE_INT64: return _("a whole number");
    case G_TYPE_DOUBLE: return _("a number");
    default: return _("a value");
    }
}

gboolean
recipe_get_string (JsonNode *node, const char *path, const char **out, GError **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    /* Translators: a recipe key, then what it held, such as "a list" */
    return recipe_invalid (error, _("%s: expected a string, not %s"), path, recipe_node_type_name (node));
  *out = json_node_get_string (node);
  /* json-glib turns some invalid escapes ("\3") into bytes that are not
   * UTF-8; such a string could not be written back as JSON */
  if (!g_utf8_validate (*out, -1, NULL))
    /* Translators: %s is a recipe key, e.g. fill[0].value */
    return recipe_invalid (error, _("%s: the text is not valid UTF-8 (an invalid \\ escape?)"), path);
  return TRUE;
}

gboolean
recipe_get_bool (JsonNode *node, const char *path, gboolean *out, GError **error)
{
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *out = FALSE;
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    /* Translators: a recipe key, then what it held; true and false are JSON */
    return recipe_invalid (error, _("%s: expected true or false, not %s"), path, recipe_node_type_name (node));
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
recipe_get_int (JsonNode *node, const char *path, gint64 min, gint64 *out, GError **error)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    /* Translators: a recipe key, then what it held, such as "a string" */
    return recipe_invalid (error, _("%s: expected a whole number, not %s"), path, recipe_node_type_name (node));
  *out = json_node_get_int (node);
  if (*out < min)
    /* Translators: a recipe key, then the smallest number it takes */
    return recipe_invalid (error, _("%s: expected a number of at least %lld"), path, (long long) min);
  return TRUE;
}

gboolean
recipe_get_string_list (JsonNode *node, const char *path, GPtrArray *out, GError **error)
{
  JsonArray *array;

  g_ptr_array_set_size (out, 0);
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    /* Translators: a recipe key, then what it held, such as "a string" */
    return recipe_invalid (error, _("%s: expected a list of strings, not %s"), path,
                    recipe_node_type_name (node));
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
      const char *s;
      if (!recipe_get_string (json_array_get_element (array, i), item_path, &s, error))
        return FALSE;
      g_ptr_array_add (out, g_strdup (s));
    }
  return TRUE;
}

static gboolean
read_delimiter (JsonNode *node, const char *path, const char *zero_word, gunichar *out,
                GError **error)
{
  const char *s;
  g_autofree char *shown = NULL;

  if (!recipe_get_string (node, path, &s, error))
    return FALSE;
  if (!winnow_delimiter_from_string (s, zero_word, out) &&
      (shown = winnow_user_text_excerpt (s)) != NULL)
    /* Translators: a recipe key, the word for "the default" ("auto" for the
     * input, "same" for the output), then what it held; the words in quotes
     * are recipe values and stay as they are */
    return recipe_invalid (error, _("%s: expected \"%s\", a single character other than a line "
                                    "end, or \"tab\", not \"%s\""), path, zero_word, shown);
  return TRUE;
}

/* The object of section @name (input, output), checked for its keys; NULL
 * when the section is null. */
static gboolean
read_section (JsonNode *node, const char *name, const char * const *keys, JsonObject **object,
              GError **error)
{
  *object = NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    /* Translators: a recipe key (input or output), then what it held, such as "a list" */
    return recipe_invalid (error, _("%s: expected an object, not %s"), name,
                           recipe_node_type_name (node));
  *object = json_node_get_object (node);
  return recipe_check_keys (*object, name, keys, error);
}

static gboolean
read_input (JsonNode *node, WinnowRecipe *recipe, GError **error)
{
  static const char * const keys[] = { "delimiter", "quote", "encoding", "header",
                                       "na_values", "bad_lines", NULL };
  JsonObject *object;
  JsonNode *member;
  const char *s;

  if (!read_section (node, "input", keys, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;

  if ((member = json_object_get_member (object, "delimiter")) &&
      !read_delimiter (member, "input.delimiter", "auto", &recipe->delimiter, error))
    return FALSE;
  if ((member = json_object_get_member (object, "quote")))
    {
      if (!recipe_get_string (member, "input.quote", &s, error))
        return FALSE;
      if (strlen (s) != 1 || (guchar) s[0] >= 0x80 || s[0] == '\n' || s[0] == '\r')
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: input.quote is a recipe key; %s is what it held */
          return recipe_invalid (error, _("input.quote: expected a single ASCII character, not \"%s\""), shown);
        }
      recipe->quote = s[0];
    }
  if ((member = json_object_get_member (object, "encoding")))
    {
      if (!recipe_get_string (member, "input.encoding", &s, error))
        return FALSE;
      g_free (recipe->encoding);
      recipe->encoding = g_strdup (s);
    }
  if ((member = json_object_get_member (object, "header")) &&
      !recipe_get_bool (member, "input.header", &recipe->header, error))
    return FALSE;
  if ((member = json_object_get_member (object, "na_values")) &&
      !recipe_get_string_list (member, "input.na_values", recipe->na_values, error))
    return FALSE;
  if ((member = json_object_get_member (object, "bad_lines")))
    {
      if (!recipe_get_string (member, "input.bad_lines", &s, error))
        return FALSE;
      if (!winnow_bad_lines_from_string (s, &recipe->bad_lines))
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: input.bad_lines and the words in quotes are recipe syntax */
          return recipe_invalid (error, _("input.bad_lines: expected \"error\", \"skip\" or \"warn\", not \"%s\""), shown);
        }
    }
  return TRUE;
}

/* A step is an object, null or absent (off), or true/false as a shorthand
 * for its defaults / off. Returns the object, or NULL with *on set. */
gboolean
recipe_read_step (JsonNode *node, const char *path, gboolean *on, JsonObject **object, GError **error)
{
  *object = NULL;
  *on = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *on = json_node_get_boolean (node);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    /* Translators: a recipe key, then what it held; null is JSON */
    return recipe_invalid (error, _("%s: expected an object or null, not %s"), path, recipe_node_type_name (node));
  *on = TRUE;
  *object = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_output (JsonNode *node, WinnowRecipe *recipe, GError **error)
{
  static const char * const keys[] = { "delimiter", "line_ending", "formula_guard", "rejects",
                                       NULL };
  JsonObject *object;
  JsonNode *member;
  const char *s;

  if (!read_section (node, "output", keys, &object, error))
    return FALSE;
  if (object == NULL)
    return TRUE;
  if ((member = json_object_get_member (object, "delimiter")) &&
      !read_delimiter (member, "output.delimiter", "same", &recipe->out_delimiter, error))
    return FALSE;
  if ((member = json_object_get_member (object, "line_ending")))
    {
      if (!recipe_get_string (member, "output.line_ending", &s, error))
        return FALSE;
      if (g_ascii_strcasecmp (s, "lf") == 0)
        recipe->crlf = FALSE;
      else if (g_ascii_strcasecmp (s, "crlf") == 0)
        recipe->crlf = TRUE;
      else
        {
          g_autofree char *shown = winnow_user_text_excerpt (s);
          /* Translators: output.line_ending and the words in quotes are recipe syntax */
          return recipe_invalid (error, _("output.line_ending: expected \"lf\" or \"crlf\", not \"%s\""), shown);
        }
    }
  if ((member = json_object_get_member (object, "formula_guard")) &&
      !recipe_get_bool (member, "output.formula_guard", &recipe->formula_guard, error))
    return FALSE;
  if ((member = json_object_get_member (object, "rejects")) &&
      !recipe_get_bool (member, "output.rejects", &recipe->rejects, error))
    return FALSE;
  return TRUE;
}

/* The recipe's top-level keys: its version, input, output and a key
 * per step. */
static const char **
top_level_keys (void)
{
  static const char *keys[WINNOW_N_STEPS + 4];

  if (keys[0] == NULL)
    {
      guint n = 0;
      keys[n++] = "winnow_recipe";
      keys[n++] = "input";
      for (guint i = 0; i < WINNOW_N_STEPS; i++)
        keys[n++] = winnow_step_get (i)->key;
      keys[n++] = "output";
      keys[n] = NULL;
    }
  return keys;
}

static WinnowRecipe *
recipe_from_node (JsonNode *root, GError **error)
{
  g_autoptr(WinnowRecipe) recipe = winnow_recipe_new ();
  JsonObject *object;
  JsonNode *member;
  gint64 version;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      /* Translators: "winnow_recipe": %d is JSON, the recipe's first key and its version */
      recipe_invalid (error, _("a recipe is a JSON object, with \"winnow_recipe\": %d"),
                      WINNOW_RECIPE_VERSION);
      return NULL;
    }
  object = json_node_get_object (root);

  if (!(member = json_object_get_member (object, "winnow_recipe")))
    {
      /* Translators: "winnow_recipe": %d is JSON, the recipe's first key and its version */
      recipe_invalid (error, _("winnow_recipe: missing; a recipe starts with \"winnow_recipe\": %d"),
                      WINNOW_RECIPE_VERSION);
      return NULL;
    }
  if (!recipe_get_int (member, "winnow_recipe", 1, &version, error))
    return NULL;
  if (version > WINNOW_RECIPE_VERSION)
    {
      /* Translators: winnow_recipe is a recipe key; two version numbers */
      recipe_invalid (error, _("winnow_recipe: version %lld was written by a newer Winnow; "
                               "this one reads version %d"), (long long) version,
                      WINNOW_RECIPE_VERSION);
      return NULL;
    }
  if (!recipe_check_keys (object, "", top_level_keys (), error))
    return NULL;

  if ((member = json_object_get_member (object, "input")) && !read_input (member, recipe, error))
    return NULL;
  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    {
      const WinnowStep *step = winnow_step_get (i);
      if ((member = json_object_get_member (object, step->key)) &&
          !step->read (recipe, member, error))
        return NULL;
    }
  if ((member = json_object_get_member (object, "output")) && !read_output (member, recipe, error))
    return NULL;

  if (!winnow_recipe_validate (recipe, error))
    return NULL;
  return g_steal_pointer (&recipe);
}

/**
 * winnow_recipe_new_from_json:
 * @length: the length of @json, or -1 if it ends with a NUL
 *
 * Reads a recipe. Text larger than WINNOW_RECIPE_MAX_BYTES, or that is not
 * strict JSON nested at most WINNOW_JSON_MAX_DEPTH levels deep, is refused
 * before json-glib parses it (its parser recurses).
 *
 * Returns: (transfer full): the recipe, or %NULL with @error naming the
 * offending key.
 */
WinnowRecipe *
winnow_recipe_new_from_json (const char *json, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize n;

  g_return_val_if_fail (json != NULL, NULL);

  n = length < 0 ? strlen (json) : (gsize) length;
  if (n > WINNOW_RECIPE_MAX_BYTES)
    {
      g_autofree char *size = g_format_size (n);
      g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE,
                   /* Translators: %s is a size, such as "3.2 MB" */
                   _("a recipe is at most 1 MiB, and this one is %s"), size);
      return NULL;
    }
  if (!winnow_json_check (json, n, WINNOW_JSON_MAX_DEPTH, &local_error))
    {
      g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE,
                   /* Translators: %s says where and what, such as "line 2, column 5:
                    * unexpected character" */
                   _("not valid JSON: %s"), local_error->message);
      return NULL;
    }
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, (gssize) n, &local_error))
    {
      g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE,
                   /* Translators: %s is the JSON parser's message */
                   _("not valid JSON: %s"), local_error->message);
      return NULL;
    }
  return recipe_from_node (json_parser_get_root (parser), error);
}

/* Reads at most @max + 1 bytes of @path: a recipe "file" may be a pipe
 * (--recipe <(...)) or a device that never ends (/dev/zero). */
static char *
read_bounded (const char *path, gsize max, gsize *length, GError **error)
{
  g_autofree char *data = NULL;
  gsize used = 0, capacity = 4096;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   /* Translators: a file name, then the system's reason */
                   _("cannot read %s: %s"), name, g_strerror (saved));
      return NULL;
    }
  data = g_malloc (capacity);
  for (;;)
    {
      gssize got;

      if (used == capacity)
        {
          capacity = MIN (2 * capacity, max + 1);
          data = g_realloc (data, capacity);
        }
      got = read (fd, data + used, capacity - used);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved = errno;
          g_autofree char *name = g_filename_display_name (path);
          close (fd);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("cannot read %s: %s"), name, g_strerror (saved));
          return NULL;
        }
      used += (gsize) got;
      if (got == 0 || used > max)
        break;
    }
  close (fd);
  *length = used;
  return g_steal_pointer (&data);
}

/**
 * winnow_recipe_new_from_file:
 *
 * Reads the recipe in the file at @path, at most WINNOW_RECIPE_MAX_BYTES
 * of it (plus one byte, to tell that it is larger).
 *
 * Returns: (transfer full): the recipe; errors are prefixed with the file
 * name.
 */
WinnowRecipe *
winnow_recipe_new_from_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  WinnowRecipe *recipe;

  g_return_val_if_fail (path != NULL, NULL);

  contents = read_bounded (path, WINNOW_RECIPE_MAX_BYTES, &length, error);
  if (contents == NULL)
    return NULL;
  if (length > WINNOW_RECIPE_MAX_BYTES)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_set_error (error, WINNOW_RECIPE_ERROR, WINNOW_RECIPE_ERROR_PARSE,
                   /* Translators: %s is a file name */
                   _("%s: a recipe is at most 1 MiB, and this file is larger"), name);
      return NULL;
    }
  recipe = winnow_recipe_new_from_json (contents, (gssize) length, error);
  if (recipe == NULL)
    {
      g_autofree char *name = g_filename_display_name (path);
      g_prefix_error (error, "%s: ", name);
    }
  return recipe;
}

/* ---- JSON writing ---- */

void
recipe_add_string_list (JsonBuilder *builder, const char *name, GPtrArray *list)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < list->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (list, i));
  json_builder_end_array (builder);
}

static void
add_delimiter (JsonBuilder *builder, const char *name, gunichar delimiter, const char *zero_word)
{
  char text[8] = { 0 };

  json_builder_set_member_name (builder, name);
  if (delimiter == 0)
    json_builder_add_string_value (builder, zero_word);
  else
    {
      g_unichar_to_utf8 (delimiter, text);
      json_builder_add_string_value (builder, text);
    }
}

/**
 * winnow_recipe_to_json:
 * Returns: (transfer full): the recipe as pretty-printed JSON, every key
 * present so that a saved recipe documents itself.
 */
char *
winnow_recipe_to_json (const WinnowRecipe *recipe)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char quote[2] = { recipe->quote, 0 };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "winnow_recipe");
  json_builder_add_int_value (b, WINNOW_RECIPE_VERSION);

  json_builder_set_member_name (b, "input");
  json_builder_begin_object (b);
  add_delimiter (b, "delimiter", recipe->delimiter, "auto");
  json_builder_set_member_name (b, "quote");
  json_builder_add_string_value (b, quote);
  json_builder_set_member_name (b, "encoding");
  json_builder_add_string_value (b, recipe->encoding);
  json_builder_set_member_name (b, "header");
  json_builder_add_boolean_value (b, recipe->header);
  recipe_add_string_list (b, "na_values", recipe->na_values);
  json_builder_set_member_name (b, "bad_lines");
  json_builder_add_string_value (b, winnow_bad_lines_to_string (recipe->bad_lines));
  json_builder_end_object (b);

  for (guint i = 0; i < WINNOW_N_STEPS; i++)
    winnow_step_get (i)->write (recipe, b);

  json_builder_set_member_name (b, "output");
  json_builder_begin_object (b);
  add_delimiter (b, "delimiter", recipe->out_delimiter, "same");
  json_builder_set_member_name (b, "line_ending");
  json_builder_add_string_value (b, recipe->crlf ? "crlf" : "lf");
  json_builder_set_member_name (b, "formula_guard");
  json_builder_add_boolean_value (b, recipe->formula_guard);
  json_builder_set_member_name (b, "rejects");
  json_builder_add_boolean_value (b, recipe->rejects);
  json_builder_end_object (b);

  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  return json_generator_to_data (gen, NULL);
}

/**
 * winnow_recipe_save:
 *
 * Writes @recipe to @path as an output file is written: whole or not at
 * all, replacing only a regular file (never a device, FIFO or folder that
 * happens to have that name).
 */
gboolean
winnow_recipe_save (const WinnowRecipe *recipe, const char *path, GError **error)
{
  g_autofree char *json = winnow_recipe_to_json (recipe);
  g_autofree char *text = g_strconcat (json, "\n", NULL);
  g_autoptr(WinnowOutputFile) file = winnow_output_file_create (path, NULL, TRUE, error);
  gsize length = strlen (text), done = 0;

  if (file == NULL)
    return FALSE;
  while (done < length)
    {
      gssize n = write (winnow_output_file_get_fd (file), text + done, length - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;
          g_autofree char *name = g_filename_display_name (path);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       /* Translators: a file name, then the system's reason */
                       _("could not write %s: %s"), name, g_strerror (saved));
          return FALSE;
        }
      done += (gsize) n;
    }
  return winnow_output_file_commit (file, error);
}

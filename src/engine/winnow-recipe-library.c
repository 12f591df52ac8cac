/* winnow-recipe-library.c: recipes saved as NAME.json files. */
#include "config.h"

#include "winnow-recipe-library.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#define MAX_NAME_BYTES 100

struct _WinnowRecipeLibrary {
  GObject parent_instance;
  char *dir;
};

G_DEFINE_FINAL_TYPE (WinnowRecipeLibrary, winnow_recipe_library, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
winnow_recipe_library_finalize (GObject *object)
{
  g_free (WINNOW_RECIPE_LIBRARY (object)->dir);
  G_OBJECT_CLASS (winnow_recipe_library_parent_class)->finalize (object);
}

static void
winnow_recipe_library_class_init (WinnowRecipeLibraryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = winnow_recipe_library_finalize;
  /**
   * WinnowRecipeLibrary::changed:
   *
   * A recipe was saved or deleted through this library.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
winnow_recipe_library_init (WinnowRecipeLibrary *self)
{
}

/* Returns: (transfer full): $XDG_DATA_HOME/io.github.winnow.Winnow/recipes */
char *
winnow_recipe_library_default_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "recipes", NULL);
}

/* @dir: the folder, made when the first recipe is saved; NULL for the default */
WinnowRecipeLibrary *
winnow_recipe_library_new (const char *dir)
{
  WinnowRecipeLibrary *self = g_object_new (WINNOW_TYPE_RECIPE_LIBRARY, NULL);

  self->dir = dir ? g_strdup (dir) : winnow_recipe_library_default_dir ();
  return self;
}

/**
 * winnow_recipe_library_check_name:
 *
 * A name becomes a file name: it is valid UTF-8 of 1 to 100 bytes, with
 * no '/', no control character, and does not start with '.' or a space.
 */
gboolean
winnow_recipe_library_check_name (const char *name, GError **error)
{
  const char *reason = NULL;

  if (name == NULL || name[0] == '\0')
    reason = _("a recipe needs a name");
  else if (!g_utf8_validate (name, -1, NULL))
    reason = _("a recipe name must be text (UTF-8)");
  else if (strlen (name) > MAX_NAME_BYTES)
    reason = _("a recipe name can have 100 bytes at most");
  else if (name[0] == '.' || name[0] == ' ')
    reason = _("a recipe name cannot start with a dot or a space");
  else
    for (const char *p = name; *p; p++)
      if (*p == '/' || (guchar) *p < 0x20 || *p == 0x7f)
        {
          reason = _("a recipe name cannot hold “/” or control characters");
          break;
        }
  if (reason != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME, reason);
      return FALSE;
    }
  return TRUE;
}

static char *
path_of (WinnowRecipeLibrary *library, const char *name)
{
  g_autofree char *file = g_strconcat (name, ".json", NULL);
  return g_build_filename (library->dir, file, NULL);
}

/* Case does not matter to the order, as in a file manager. */
static int
compare_names (gconstpointer a, gconstpointer b)
{
  g_autofree char *fa = g_utf8_casefold (*(char * const *) a, -1);
  g_autofree char *fb = g_utf8_casefold (*(char * const *) b, -1);
  int order = g_utf8_collate (fa, fb);

  return order != 0 ? order : strcmp (*(char * const *) a, *(char * const *) b);
}

/* Returns: (transfer full): the names, sorted; empty when there is none */
GStrv
winnow_recipe_library_list (WinnowRecipeLibrary *library)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GDir) dir = g_dir_open (library->dir, 0, NULL);
  const char *file;

  while (dir != NULL && (file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *name = NULL;
      if (!g_str_has_suffix (file, ".json") || strlen (file) == strlen (".json"))
        continue;
      name = g_strndup (file, strlen (file) - strlen (".json"));
      if (winnow_recipe_library_check_name (name, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_steal (names, NULL);
}

WinnowRecipe *
winnow_recipe_library_load (WinnowRecipeLibrary *library, const char *name, GError **error)
{
  g_autofree char *path = NULL;

  if (!winnow_recipe_library_check_name (name, error))
    return NULL;
  path = path_of (library, name);
  return winnow_recipe_new_from_file (path, error);
}

/* Saves @recipe as @name, replacing one of that name (atomically). */
gboolean
winnow_recipe_library_save (WinnowRecipeLibrary *library, const char *name,
                            const WinnowRecipe *recipe, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;

  if (!winnow_recipe_library_check_name (name, error) || !winnow_recipe_validate (recipe, error))
    return FALSE;
  if (g_mkdir_with_parents (library->dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: a folder, then the system's reason */
                   _("cannot create the recipe folder %s: %s"), library->dir, g_strerror (saved));
      return FALSE;
    }
  path = path_of (library, name);
  json = winnow_recipe_to_json (recipe);
  if (!g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  g_signal_emit (library, signals[CHANGED], 0);
  return TRUE;
}

gboolean
winnow_recipe_library_delete (WinnowRecipeLibrary *library, const char *name, GError **error)
{
  g_autofree char *path = NULL;

  if (!winnow_recipe_library_check_name (name, error))
    return FALSE;
  path = path_of (library, name);
  if (g_unlink (path) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   /* Translators: a recipe's name, then the system's reason */
                   _("cannot delete the recipe “%s”: %s"), name, g_strerror (saved));
      return FALSE;
    }
  g_signal_emit (library, signals[CHANGED], 0);
  return TRUE;
}

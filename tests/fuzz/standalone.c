/* standalone.c: a main() for the fuzz targets without libFuzzer, so that
 * the regular test suite runs every input of the corpus (and every input
 * that once crashed) through them: fuzz-TARGET FILE... */
#include "config.h"

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
main (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *contents = NULL;
      gsize length;
      g_autoptr(GError) error = NULL;

      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = g_dir_open (argv[i], 0, &error);
          const char *name;

          g_assert_no_error (error);
          while ((name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *path = g_build_filename (argv[i], name, NULL);
              g_autofree char *data = NULL;
              gsize n;

              if (!g_file_get_contents (path, &data, &n, &error))
                g_error ("%s", error->message);
              LLVMFuzzerTestOneInput ((const guint8 *) data, n);
            }
          continue;
        }
      if (!g_file_get_contents (argv[i], &contents, &length, &error))
        g_error ("%s", error->message);
      LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
    }
  return 0;
}

/* main.c: picks the face of Winnow: `winnow --batch …` runs headless, in
 * this program, which links no GTK (loading GTK and its libraries cost a
 * batch run 20 ms before its first byte); anything else starts the
 * window's program, winnow-gui (main-gui.c), in its place with the same
 * arguments. It is looked for beside this program (a build run in place)
 * and then where it is installed (WINNOW_GUI_PATH). */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "winnow-batch.h"
#include "winnow-setup.h"

static int
start_window (char **argv)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = self != NULL ? g_path_get_dirname (self) : NULL;
  g_autofree char *beside = dir != NULL ? g_build_filename (dir, "winnow-gui", NULL) : NULL;
  const char *path = beside != NULL && g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE)
                     ? beside : WINNOW_GUI_PATH;
  int saved;

  /* argv[0] stays "winnow": the window's program name */
  g_debug ("starting the window: %s", path);
  execv (path, argv);
  saved = errno;
  /* Translators: a program's path, then the system's reason */
  fprintf (stderr, _("winnow: could not start the window (%s): %s\n"), path, g_strerror (saved));
  return 1;
}

int
main (int argc, char **argv)
{
  winnow_setup_locale ();
  winnow_setup_signals ();

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], "--batch") == 0)
        return winnow_batch_main (argc, argv);
    }

  return start_window (argv);
}

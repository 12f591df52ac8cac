/* main.c: picks the face of Winnow: `winnow --batch …` runs headless,
 * anything else opens the window. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "winnow-application.h"
#include "winnow-batch.h"

int
main (int argc, char **argv)
{
  /* a build run in place finds its translations through this
   * (meson devenv and build-aux/run.sh set it to the build's po/) */
  const char *localedir = g_getenv ("WINNOW_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], "--batch") == 0)
        return winnow_batch_main (argc, argv);
    }

  return winnow_application_main (argc, argv);
}

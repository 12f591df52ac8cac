/* main.c: picks the face of Winnow: `winnow --batch …` runs headless. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "winnow-batch.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--") == 0)
        break;
      if (strcmp (argv[i], "--batch") == 0)
        return winnow_batch_main (argc, argv);
    }

  g_printerr (_("Winnow’s window is not part of this build yet. Clean files with:\n"
                "  winnow --batch FILE…\n"));
  return WINNOW_EXIT_USAGE;
}

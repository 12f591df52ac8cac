/* main-gui.c: the window's program, winnow-gui. `winnow` (main.c) runs
 * batch work itself and starts this for anything else, so that a batch
 * run never loads GTK. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "winnow-application.h"

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

  return winnow_application_main (argc, argv);
}

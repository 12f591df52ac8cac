/* winnow-locale.h: the translations, set up the same way by both programs
 * (main.c, main-gui.c). */
#pragma once

#include <glib/gi18n.h>
#include <locale.h>

static inline void
winnow_setup_locale (void)
{
  /* a build run in place finds its translations through this
   * (meson devenv and build-aux/run.sh set it to the build's po/) */
  const char *localedir = g_getenv ("WINNOW_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

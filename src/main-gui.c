/* main-gui.c: the window's program, winnow-gui. `winnow` (main.c) runs
 * batch work itself and starts this for anything else, so that a batch
 * run never loads GTK. */
#include "config.h"

#include "winnow-application.h"
#include "winnow-setup.h"

int
main (int argc, char **argv)
{
  winnow_setup_locale ();
  winnow_setup_signals ();

  return winnow_application_main (argc, argv);
}

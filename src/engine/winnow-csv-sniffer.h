/* winnow-csv-sniffer.h: guesses a file's delimiter and line ends from its
 * first 64 KiB (input.delimiter "auto"; docs/BEHAVIOUR.md 1.3). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WINNOW_SNIFF_BYTES (64 * 1024)

char winnow_sniff_delimiter (const char *text, gsize length, char quote);
char winnow_sniff_line_end  (const char *text, gsize length);

G_END_DECLS

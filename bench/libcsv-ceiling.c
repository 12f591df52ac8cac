/* libcsv-ceiling.c: the ceiling the benchmark compares Winnow with: a bare
 * libcsv program that parses every field of a CSV file and writes it back
 * out with minimal quoting, on one thread, with 1 MiB reads and writes.
 *
 * usage: libcsv-ceiling FILE > OUT
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK (1 << 20)

typedef struct {
  char *out;
  size_t length;
  int first;
} Writer;

static void
flush (Writer *w)
{
  if (write (STDOUT_FILENO, w->out, w->length) < 0)
    exit (1);
  w->length = 0;
}

static void
on_field (void *data, size_t n, void *user)
{
  Writer *w = user;
  const char *s = data;
  int quote = 0;

  if (w->length + 2 * n + 4 > BLOCK)
    flush (w);
  if (!w->first)
    w->out[w->length++] = ',';
  w->first = 0;
  for (size_t i = 0; i < n && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote)
    {
      memcpy (w->out + w->length, s, n);
      w->length += n;
      return;
    }
  w->out[w->length++] = '"';
  for (size_t i = 0; i < n; i++)
    {
      if (s[i] == '"')
        w->out[w->length++] = '"';
      w->out[w->length++] = s[i];
    }
  w->out[w->length++] = '"';
}

static void
on_row (int c, void *user)
{
  Writer *w = user;
  w->out[w->length++] = '\n';
  w->first = 1;
}

int
main (int argc, char **argv)
{
  struct csv_parser parser;
  Writer w = { malloc (BLOCK + 16), 0, 1 };
  char *buffer = malloc (BLOCK);
  ssize_t n;
  int fd;

  if (argc != 2 || (fd = open (argv[1], O_RDONLY)) < 0)
    {
      fprintf (stderr, "usage: libcsv-ceiling FILE > OUT\n");
      return 2;
    }
  csv_init (&parser, 0);
  while ((n = read (fd, buffer, BLOCK)) > 0)
    csv_parse (&parser, buffer, (size_t) n, on_field, on_row, &w);
  csv_fini (&parser, on_field, on_row, &w);
  flush (&w);
  csv_free (&parser);
  return 0;
}

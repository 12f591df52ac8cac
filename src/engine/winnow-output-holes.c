/* winnow-output-holes.c: the values of a finished output's holes put in
 * place (winnow_output_file_fill_holes(), see winnow-output-file.h).
 *
 * The write pass leaves each cell that a statistic fills empty and notes
 * its offset; at the end, when the statistics are known, every byte after
 * the first hole moves on by the values inserted before it. One backward
 * pass does it in place, copying the pieces between holes from the blocks
 * it reads, and the values, into a buffer written when full. A large file is cut in two at
 * a hole, and the two parts move at once, one on a thread of its own: the
 * first part's last writes land on the first bytes of the second part,
 * which are read before either starts (docs/ARCHITECTURE.md, "Passes").
 */
#include "config.h"

#include "winnow-output-file.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "winnow-csv-writer.h"
#include "winnow-thread-budget.h"

/* The moved bytes and the values are copied, from the end backwards,
 * into a buffer of this size, written with one pwrite() when it is full.
 * Copying costs less than it saves: a column filled backward may leave a
 * hole in every row, and an iovec for each piece between two holes made
 * thousands of small writes (9,000 for 79 MB with 4.6 million holes). */
#define OUT_BLOCK (256u << 10)

/* The file is read backwards in blocks of this size, and each piece
 * between two holes copied from the block: one read per block, not one
 * per hole (a column filled by its mean may have a hole every few rows).
 * A block read ahead lies wholly before the bytes already taken, and
 * every write lands at or after them, so none overwrites it. Small:
 * memory a task touches for the first time can cost more than the
 * copying done in it (docs/ARCHITECTURE.md). */
#define READ_BLOCK (256u << 10)

/* Below this many bytes to move, a second thread costs more than it
 * saves; past this many bytes inserted before the cut, the bytes its
 * second part must read first take too much memory. */
#define SPLIT_MIN ((guint64) 4 << 20)
#define SPLIT_MAX_HEAD ((guint64) 16 << 20)

/* winnow_output_file_set_split() */
static gint split_mode = -1;
/* winnow_output_file_get_split_fills() */
static gint split_fills;

typedef struct {
  int fd;
  guint8 *out;                  /* OUT_BLOCK bytes, filled from the end: */
  gsize length;                 /* out[OUT_BLOCK - length ..) are ready */
  guint64 dest_end;             /* where the ready bytes end in the file */
  int error_number;
  guint8 *block;          /* READ_BLOCK bytes of the file ... */
  guint64 block_start;    /* ... from here */
  gsize block_length;
  const guint8 *head;     /* the file's bytes [head_start, head_end), read */
  guint64 head_start;     /*   before another mover could write on them, */
  guint64 head_end;       /*   or NULL */
} Mover;

/* Writes the ready bytes; they end at dest_end. */
static void
mover_flush (Mover *m)
{
  const guint8 *data = m->out + OUT_BLOCK - m->length;
  guint64 at = m->dest_end - m->length;
  gsize left = m->length;

  while (left > 0 && m->error_number == 0)
    {
      gssize done = pwrite (m->fd, data, left, (off_t) at);

      if (done <= 0)
        {
          if (done == 0)
            m->error_number = EIO;
          else if (errno != EINTR)
            m->error_number = errno;
          continue;
        }
      at += (guint64) done;
      data += done;
      left -= (gsize) done;
    }
  /* these bytes are final: the disk can take them while the rest moves
   * (the next block written ends in their first page, which waits) */
  if (m->error_number == 0)
    winnow_write_back_pages (m->fd, m->dest_end - m->length, m->dest_end);
  m->dest_end -= m->length;
  m->length = 0;
}

/* Reads @length bytes of the file at @start into @data. */
static gboolean
read_exactly (int fd, guint8 *data, gsize length, guint64 start, int *error_number)
{
  gsize done = 0;

  while (done < length)
    {
      gssize n = pread (fd, data + done, length - done, (off_t) (start + done));
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          *error_number = n < 0 ? errno : EIO;
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* Reads the block of the file that ends at @end. The ready bytes may
 * wait: they land at or after the bytes they came from, all past @end. */
static gboolean
mover_read_block (Mover *m, guint64 end)
{
  guint64 start = end > READ_BLOCK ? end - READ_BLOCK : 0;

  if (m->error_number != 0 ||
      !read_exactly (m->fd, m->block, (gsize) (end - start), start, &m->error_number))
    return FALSE;
  m->block_start = start;
  m->block_length = (gsize) (end - start);
  return TRUE;
}

/* Puts a copy of the @length bytes at @data before the ready ones. */
static void
mover_prepend_bytes (Mover *m, const guint8 *data, gsize length)
{
  while (length > 0)
    {
      gsize n;

      if (m->length == OUT_BLOCK)
        mover_flush (m);
      n = MIN (length, OUT_BLOCK - m->length);
      length -= n;
      m->length += n;
      memcpy (m->out + OUT_BLOCK - m->length, data + length, n);
    }
}

/* Puts the file's bytes [start, end) before the ready ones. */
static void
mover_prepend_file (Mover *m, guint64 start, guint64 end)
{
  if (m->head != NULL && start < m->head_end)
    {
      g_assert (start >= m->head_start);
      if (end > m->head_end)
        mover_prepend_file (m, m->head_end, end);
      end = MIN (end, m->head_end);
      mover_prepend_bytes (m, m->head + (start - m->head_start), (gsize) (end - start));
      return;
    }
  while (end > start && m->error_number == 0)
    {
      gsize piece;

      if ((m->block_length == 0 || end <= m->block_start ||
           end > m->block_start + m->block_length) && !mover_read_block (m, end))
        return;
      piece = (gsize) MIN (end - start, end - m->block_start);
      mover_prepend_bytes (m, m->block + (end - piece - m->block_start), piece);
      end -= piece;
    }
}

static inline gsize
value_length (const WinnowHoleValue *values, const WinnowOutputHole *hole)
{
  return values[hole->value].length;
}

typedef struct {
  Mover m;
  const WinnowOutputHole *holes;
  gsize from, to;                /* the holes it fills */
  const WinnowHoleValue *values;
  guint64 src_end;               /* the file's bytes it moves end here */
} Part;

/* Moves the file's bytes from the hole @part->from on to @part->src_end,
 * with the values of the holes [from, to), backwards: the last byte ends
 * at @part->m.dest_end. */
static void
move_part (Part *part)
{
  Mover *m = &part->m;
  guint64 src_end = part->src_end;

  m->block = g_malloc (READ_BLOCK);
  m->out = g_malloc (OUT_BLOCK);
  for (gsize i = part->to; i-- > part->from && m->error_number == 0;)
    {
      const WinnowOutputHole *hole = &part->holes[i];
      const WinnowHoleValue *value = &part->values[hole->value];

      g_assert (hole->offset <= src_end);
      mover_prepend_file (m, hole->offset, src_end);
      src_end = hole->offset;
      if (value->length > 0)
        mover_prepend_bytes (m, value->data, value->length);
      if (m->dest_end - m->length == src_end)
        break;  /* nothing before this hole moves */
    }
  if (m->error_number == 0)
    mover_flush (m);
  g_free (m->block);
  g_free (m->out);
}

static gpointer
move_part_thread (gpointer data)
{
  move_part (data);
  return NULL;
}

/* Where to cut the holes in two parts that move about as many bytes, or
 * 0 for one part. *@shift: the bytes inserted before the cut. */
static gsize
choose_cut (gint mode, guint64 size, const WinnowOutputHole *holes, gsize n_holes,
            const WinnowHoleValue *values, guint64 *shift)
{
  gsize first = 0, low, high;
  guint64 middle;

  /* nothing before the first value moves */
  while (first < n_holes && value_length (values, &holes[first]) == 0)
    first++;
  if (mode == 0 || first == n_holes ||
      (mode < 0 && (size - holes[first].offset < SPLIT_MIN ||
                    winnow_thread_budget_get_capacity (winnow_thread_budget_get_default ()) < 2)))
    return 0;
  middle = holes[first].offset + (size - holes[first].offset) / 2;
  /* the first hole at or past the middle */
  for (low = first + 1, high = n_holes; low < high;)
    {
      gsize mid = low + (high - low) / 2;
      if (holes[mid].offset < middle)
        low = mid + 1;
      else
        high = mid;
    }
  if (low >= n_holes)
    return 0;
  *shift = 0;
  for (gsize i = 0; i < low; i++)
    *shift += value_length (values, &holes[i]);
  if (mode < 0 && MIN (*shift, size - holes[low].offset) > SPLIT_MAX_HEAD)
    return 0;
  return low;
}

/**
 * winnow_output_file_set_split:
 * @mode: -1 (the default): cut a large move in two parts when the thread
 *   budget has room; 0: never; 1: whenever there are two parts to make
 *
 * For tests.
 */
void
winnow_output_file_set_split (gint mode)
{
  g_atomic_int_set (&split_mode, mode);
}

/* For tests: how many fills moved in two parts, in this process. */
guint
winnow_output_file_get_split_fills (void)
{
  return (guint) g_atomic_int_get (&split_fills);
}

/* Both parts at once, the second on a thread of its own (with @extra, an
 * extra place of the thread budget); FALSE when there is no room or no
 * thread for it (nothing was moved). */
static gboolean
move_two_parts (Part *first, Part *second, gboolean extra, int *error_number)
{
  WinnowThreadBudget *budget = winnow_thread_budget_get_default ();
  guint64 head_start = second->holes[second->from].offset;
  /* the first part's last writes end here, on the second part's first
   * bytes (or past all of them) */
  guint64 head_end = MIN (first->m.dest_end, second->src_end);
  g_autofree guint8 *head = NULL;
  gboolean moved = TRUE;
  GThread *thread;

  if (extra && !winnow_thread_budget_try_extra (budget))
    return FALSE;
  head = g_malloc (MAX (head_end - head_start, 1));
  second->m.head = head;
  second->m.head_start = head_start;
  second->m.head_end = head_end;
  if (!read_exactly (first->m.fd, head, (gsize) (head_end - head_start), head_start,
                     error_number))
    ;  /* nothing moved, and the error is told */
  else if ((thread = g_thread_try_new ("winnow-fill", move_part_thread, second, NULL)) == NULL)
    moved = FALSE;
  else
    {
      move_part (first);
      g_thread_join (thread);
      *error_number = first->m.error_number != 0 ? first->m.error_number
                                                 : second->m.error_number;
      g_atomic_int_inc (&split_fills);
    }
  if (extra)
    winnow_thread_budget_release_extra (budget);
  return moved;
}

/**
 * winnow_output_file_fill_holes:
 * @size: the bytes written so far
 * @holes: in the order of their offsets
 * @values: the bytes each hole gets, by its value number (none for a
 *   length of 0)
 * @inserted: (out): the bytes added
 *
 * Inserts the values into the temporary file in place, moving what
 * follows each hole on: one backward pass from the end of the file,
 * stopping at the first hole (nothing before it moves);
 * a large file in two parts at once. The file is written once with empty
 * holes and completed here when the values are known at its end (the
 * fills by a statistic of the column), instead of reading the input
 * twice.
 */
gboolean
winnow_output_file_fill_holes (WinnowOutputFile *file, guint64 size, const WinnowOutputHole *holes,
                               gsize n_holes, const WinnowHoleValue *values, guint64 *inserted,
                               GError **error)
{
  Part whole = {
    .m = { .fd = winnow_output_file_get_fd (file), .dest_end = size },
    .holes = holes, .from = 0, .to = n_holes, .values = values, .src_end = size,
  };
  gint mode = g_atomic_int_get (&split_mode);
  int error_number = 0;
  guint64 shift = 0;
  gsize cut;

  for (gsize i = 0; i < n_holes; i++)
    whole.m.dest_end += value_length (values, &holes[i]);
  *inserted = whole.m.dest_end - size;
  if (*inserted == 0)
    return TRUE;

  cut = choose_cut (mode, size, holes, n_holes, values, &shift);
  if (cut > 0)
    {
      Part first = whole, second = whole;

      first.to = cut;
      first.src_end = holes[cut].offset;
      first.m.dest_end = holes[cut].offset + shift;
      second.from = cut;
      if (!move_two_parts (&first, &second, mode != 1, &error_number))
        cut = 0;
    }
  if (cut == 0)
    {
      move_part (&whole);
      error_number = whole.m.error_number;
    }
  if (error_number != 0)
    {
      g_set_error (error, WINNOW_OUTPUT_ERROR, WINNOW_OUTPUT_ERROR_WRITE,
                   /* Translators: a file name, then the system's reason */
                   _("could not write %s: %s"), winnow_output_file_get_display_name (file),
                   g_strerror (error_number));
      return FALSE;
    }
  return TRUE;
}

/* winnow-task-store-names-private.h: what the name search
 * (winnow-task-store-names.c) and the store's copy of the names
 * (winnow-task-store-name-copy.c) share. */
#pragma once

#include "winnow-task-store-private.h"

G_BEGIN_DECLS

/* The trigram tokenizer of one connection: folds text as the names'
 * index does. */
typedef struct _Folder Folder;

char       *store_fold             (Folder *folder,
                                    const char *text,
                                    int length);

/* A search's ids as the sets hold them; shared, never changed once made
 * (a search answered again from the store's searches takes a reference). */
typedef struct {
  gatomicrefcount ref;
  gint64 n;               /* how many ids */
  gint64 first;           /* bits: the id of the first bit */
  guint64 *bits;          /* a bit for each id from first on, or NULL: */
  gint64 *ids;            /* the ids, sorted (far apart: bits would take more room) */
  gsize length;           /* of bits or ids */
  char *few_ids;          /* the ids as a JSON array, when FEW_LISTED or fewer */
} IdPayload;

IdPayload  *store_id_payload_ref   (IdPayload *payload);
void        store_id_payload_unref (IdPayload *payload);

/* What decides what a search finds in a snapshot
 * (store_history_state()). */
typedef struct {
  gint64 changes;         /* task_count.names_changed */
  gint64 last;            /* the highest id */
  char *last_mark;        /* the mark of task last: its name and creation time */
  gboolean fresh;         /* the snapshot was begun for the search */
} StoreHistoryState;

gboolean    store_history_state    (WinnowTaskStore *store,
                                    StoreConn *conn,
                                    StoreHistoryState *state,
                                    GError **error);
void        store_history_state_clear (StoreHistoryState *state);
IdPayload  *store_name_copy_find   (StoreNameCopy *copy,
                                    const char *search,
                                    const StoreHistoryState *state);
void        store_name_copy_keep   (StoreNameCopy *copy,
                                    const char *search,
                                    const StoreHistoryState *state,
                                    IdPayload *found);
GArray     *store_name_copy_holding (WinnowTaskStore *store,
                                     StoreConn *conn,
                                     Folder *folder,
                                     const char *folded,
                                     const StoreHistoryState *state,
                                     GError **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoreHistoryState, store_history_state_clear)

G_END_DECLS

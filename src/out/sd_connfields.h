/* sd_connfields: the fields of a connection record (sd_conn), named as in
 * Zeek's conn.log where Zeek has them, our own names otherwise. */
#ifndef SD_CONNFIELDS_H
#define SD_CONNFIELDS_H

#include "../flow/sd_conn.h"
#include "sd_fields.h"

extern const sd_fieldset sd_conn_fields;
/* Default columns of the text table. */
extern const char *const sd_conn_text_default;
/* The JSON line of every field (with optional, the optional ones too), in
 * the table's order: the bytes sd_recout writes for that selection, made in
 * place (literal keys, numbers and the program's own strings straight into
 * the buffer) instead of a getter, a value and a key per field. The table
 * is the reference: tests/unit/test_connfields.c compares both. */
void sd_conn_json(sd_buf *b, const sd_conn *c, bool optional);

#endif

/* sd_connfields: the fields of a connection record (sd_conn), named as in
 * Zeek's conn.log where Zeek has them, our own names otherwise. */
#ifndef SD_CONNFIELDS_H
#define SD_CONNFIELDS_H

#include "../flow/sd_conn.h"
#include "sd_fields.h"

extern const sd_fieldset sd_conn_fields;
/* Default columns of the text table. */
extern const char *const sd_conn_text_default;

#endif

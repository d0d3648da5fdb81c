/* sd_evfields: an event (sd_event) as a fieldset, for --where on `strider
 * ssh` events: the names of its JSON line (sd_evout_json), the common ones
 * from the table, the event's own fields (docs/events.md) by name. */
#ifndef SD_EVFIELDS_H
#define SD_EVFIELDS_H

#include "../common/sd_event.h"
#include "sd_fields.h"

extern const sd_fieldset sd_ev_fields;

#endif

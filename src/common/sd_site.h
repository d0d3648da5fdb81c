/* sd_site: the analyst's local networks (--local-nets), as Zeek's
 * Site::local_nets: which ends of a connection are local (conn.log's
 * local_orig and local_resp, ssh.log's direction). Set once before a run;
 * without it nothing is known and those fields stay unset. */
#ifndef SD_SITE_H
#define SD_SITE_H

#include "sd_common.h"

/* Networks a Zeek site list would hold; more is a pasted table, not a site. */
#define SD_SITE_MAX_NETS 256

/* "10.0.0.0/8,192.168.0.0/16,fd00::/8" (addresses alone are /32, /128):
 * 0, or -1 when an item is not an address or network (nothing set). */
int sd_site_set_local(const char *list);
/* 1 local, 0 not, -1 unknown (no local networks given). */
int sd_site_is_local(const sd_addr *a);
/* Zeek's ssh.log direction: "OUTBOUND" (local to remote), "INBOUND"
 * (remote to local), or NULL (both or neither local, or unknown). */
const char *sd_site_direction(const sd_addr *orig, const sd_addr *resp);

#endif

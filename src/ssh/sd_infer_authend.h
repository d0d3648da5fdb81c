/* sd_infer_authend: the auth_closed event (a connection that closed
 * during authentication). Included by the inference modules only. */
#ifndef SD_INFER_AUTHEND_H
#define SD_INFER_AUTHEND_H

#include "sd_infer_int.h"

/* The forward leg's authentication a ended without a login and the
 * connection closed (a FIN or RST): who closed it, why, after how many
 * attempts. */
void sdi_auth_closed(ctx *x, const auth_res *a);

/* Whether the client's FIN or RST came first (it left; the server did
 * not close on it). */
bool sdi_client_closed(const ctx *x);

#endif

/* sd_reasm_urg: urgent bytes in the reassembler (see sd_reasm_urgent in
 * sd_reasm.h): the offsets named by urgent pointers, waiting for delivery,
 * where they are reported and, with urgent_oob, taken out of the stream. */
#include "sd_reasm_int.h"

#include <string.h>

/* Keeps off (ascending, once); past REASM_URG_MAX it is counted. */
void sdr_urg_add(sd_reasm *r, uint64_t off)
{
    uint32_t i = 0;
    while (i < r->nurg && r->urg[i] < off)
        i++;
    if (i < r->nurg && r->urg[i] == off)
        return; /* a retransmission of the same urgent segment */
    if (r->nurg == REASM_URG_MAX) {
        r->st.urgent_dropped++;
        return;
    }
    memmove(r->urg + i + 1, r->urg + i, (r->nurg - i) * sizeof r->urg[0]);
    r->urg[i] = off;
    r->nurg++;
}

/* Forgets offsets the delivery point passed without their byte (a gap). */
static void urg_drop_passed(sd_reasm *r)
{
    uint32_t k = 0;
    while (k < r->nurg && r->urg[k] < r->next_off)
        k++;
    if (k) {
        memmove(r->urg, r->urg + k, (r->nurg - k) * sizeof r->urg[0]);
        r->nurg -= k;
    }
}

/* len bytes from next_off, cut before the next pending urgent byte. */
uint64_t sdr_urg_cut(sd_reasm *r, uint64_t len)
{
    urg_drop_passed(r);
    if (r->nurg && r->urg[0] > r->next_off && r->urg[0] - r->next_off < len)
        return r->urg[0] - r->next_off;
    return len;
}

/* If the byte p at next_off is urgent: reported; true when it is taken out
 * (the caller skips it). */
bool sdr_urg_take(sd_reasm *r, const uint8_t *p, uint64_t frame)
{
    urg_drop_passed(r);
    if (!r->nurg || r->urg[0] != r->next_off)
        return false;
    memmove(r->urg, r->urg + 1, (r->nurg - 1) * sizeof r->urg[0]);
    r->nurg--;
    r->st.urgent_bytes++;
    if (r->cb.urgent) {
        sd_reasm_urgent u = { r->next_off, *p, frame, r->opts.urgent_oob };
        r->cb.urgent(r->cb.ud, &u);
    }
    return r->opts.urgent_oob;
}

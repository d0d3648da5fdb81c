/* sd_reasm_urg: the urgent byte in the reassembler (see sd_reasm_urgent in
 * sd_reasm.h): the offset named by the latest urgent pointer, waiting for
 * delivery, where it is reported and, with urgent_oob, taken out of the
 * stream.
 *
 * A socket holds one urgent mark, as Linux (tcp_check_urg: urg_seq) and the
 * BSDs (tcp_input: rcv_up) do: a pointer past the pending mark replaces it,
 * and the byte it named stays in the stream; a pointer at or before it is a
 * retransmission or an older one, and changes nothing (hostile round 20,
 * urg_replaced: two marks in flight, the first byte is sshd's). */
#include "sd_reasm_int.h"

void sdr_urg_add(sd_reasm *r, uint64_t off)
{
    if (r->nurg && r->urg >= r->next_off && off <= r->urg)
        return;
    r->urg = off;
    r->nurg = 1;
}

/* Forgets a mark the delivery point passed without its byte (a gap). */
static void urg_drop_passed(sd_reasm *r)
{
    if (r->nurg && r->urg < r->next_off)
        r->nurg = 0;
}

/* len bytes from next_off, cut before the pending urgent byte. */
uint64_t sdr_urg_cut(sd_reasm *r, uint64_t len)
{
    urg_drop_passed(r);
    if (r->nurg && r->urg > r->next_off && r->urg - r->next_off < len)
        return r->urg - r->next_off;
    return len;
}

/* If the byte p at next_off is urgent: reported; true when it is taken out
 * (the caller skips it). */
bool sdr_urg_take(sd_reasm *r, const uint8_t *p, uint64_t frame)
{
    urg_drop_passed(r);
    if (!r->nurg || r->urg != r->next_off)
        return false;
    r->nurg = 0;
    r->st.urgent_bytes++;
    if (r->cb.urgent) {
        sd_reasm_urgent u = { r->next_off, *p, frame, r->opts.urgent_oob };
        r->cb.urgent(r->cb.ud, &u);
    }
    return r->opts.urgent_oob;
}

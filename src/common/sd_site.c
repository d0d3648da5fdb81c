/* sd_site: see sd_site.h. One table for the process: Zeek's site is a
 * global setting too, and every writer of a run must agree on it. */
#include "sd_site.h"

#include "sd_parse.h"

#include <string.h>

typedef struct net {
    sd_addr net;
    unsigned plen;
} net;
static net g_nets[SD_SITE_MAX_NETS];
static size_t g_n;
static bool g_set;

int sd_site_set_local(const char *list)
{
    net v[SD_SITE_MAX_NETS];
    size_t n = 0, len = strlen(list);
    for (size_t at = 0; at <= len;) {
        size_t e = at + strcspn(list + at, ",");
        char item[SD_ADDR_STRLEN + 8];
        if (e == at || e - at >= sizeof item || n == SD_SITE_MAX_NETS)
            return -1;
        memcpy(item, list + at, e - at);
        item[e - at] = '\0';
        if (sd_parse_cidr(item, &v[n].net, &v[n].plen))
            return -1;
        n++;
        at = e + 1;
    }
    memcpy(g_nets, v, n * sizeof *v);
    g_n = n;
    g_set = true;
    return 0;
}

int sd_site_is_local(const sd_addr *a)
{
    if (!g_set)
        return -1;
    for (size_t i = 0; i < g_n; i++)
        if (sd_addr_in_net(a, &g_nets[i].net, g_nets[i].plen))
            return 1;
    return 0;
}

const char *sd_site_direction(const sd_addr *orig, const sd_addr *resp)
{
    int o = sd_site_is_local(orig), r = sd_site_is_local(resp);
    if (o == 1 && r == 0)
        return "OUTBOUND";
    if (o == 0 && r == 1)
        return "INBOUND";
    return NULL;
}

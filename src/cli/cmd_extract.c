/* placeholder until the real command lands */
#include "cli.h"

int cmd_extract(int argc, char **argv)
{
    fprintf(stderr, "strider extract: not implemented yet\n");
    return 2;
}

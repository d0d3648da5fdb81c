/* placeholder until the real command lands */
#include "cli.h"

int cmd_ssh(int argc, char **argv)
{
    fprintf(stderr, "strider ssh: not implemented yet\n");
    return 2;
}

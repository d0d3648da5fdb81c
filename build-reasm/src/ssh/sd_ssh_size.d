build-reasm/src/ssh/sd_ssh_size.o: src/ssh/sd_ssh_size.c \
 src/ssh/sd_ssh_size.h
src/ssh/sd_ssh_size.h:

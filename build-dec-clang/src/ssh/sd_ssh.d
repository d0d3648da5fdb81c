build-dec-clang/src/ssh/sd_ssh.o: src/ssh/sd_ssh.c src/ssh/sd_ssh.h \
  src/ssh/../common/sd_common.h src/ssh/sd_ssh_size.h \
  src/ssh/../common/sd_cursor.h

src/ssh/sd_ssh.h:

src/ssh/../common/sd_common.h:

src/ssh/sd_ssh_size.h:

src/ssh/../common/sd_cursor.h:

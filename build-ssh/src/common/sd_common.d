build-ssh/src/common/sd_common.o: src/common/sd_common.c \
 src/common/sd_common.h
src/common/sd_common.h:

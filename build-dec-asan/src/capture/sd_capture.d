build-dec-asan/src/capture/sd_capture.o: src/capture/sd_capture.c \
 src/capture/sd_capture.h src/capture/../common/sd_common.h
src/capture/sd_capture.h:
src/capture/../common/sd_common.h:

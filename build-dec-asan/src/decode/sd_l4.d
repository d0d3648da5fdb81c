build-dec-asan/src/decode/sd_l4.o: src/decode/sd_l4.c \
 src/decode/sd_decode_int.h src/decode/../common/sd_cursor.h \
 src/decode/sd_decode.h src/decode/../capture/sd_capture.h \
 src/decode/../capture/../common/sd_common.h
src/decode/sd_decode_int.h:
src/decode/../common/sd_cursor.h:
src/decode/sd_decode.h:
src/decode/../capture/sd_capture.h:
src/decode/../capture/../common/sd_common.h:

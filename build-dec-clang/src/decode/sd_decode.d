build-dec-clang/src/decode/sd_decode.o: src/decode/sd_decode.c \
  src/decode/sd_decode_int.h src/decode/../common/sd_cursor.h \
  src/decode/sd_decode.h src/decode/../capture/sd_capture.h \
  src/decode/../capture/../common/sd_common.h

src/decode/sd_decode_int.h:

src/decode/../common/sd_cursor.h:

src/decode/sd_decode.h:

src/decode/../capture/sd_capture.h:

src/decode/../capture/../common/sd_common.h:

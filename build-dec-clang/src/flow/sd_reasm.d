build-dec-clang/src/flow/sd_reasm.o: src/flow/sd_reasm.c \
  src/flow/sd_reasm.h src/flow/../common/sd_common.h \
  src/flow/../decode/sd_decode.h \
  src/flow/../decode/../capture/sd_capture.h \
  src/flow/../decode/../capture/../common/sd_common.h

src/flow/sd_reasm.h:

src/flow/../common/sd_common.h:

src/flow/../decode/sd_decode.h:

src/flow/../decode/../capture/sd_capture.h:

src/flow/../decode/../capture/../common/sd_common.h:

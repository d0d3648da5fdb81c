build-lead/src/flow/sd_conn.o: src/flow/sd_conn.c src/flow/sd_conn.h \
 src/flow/../decode/sd_decode.h \
 src/flow/../decode/../capture/sd_capture.h \
 src/flow/../decode/../capture/../common/sd_common.h
src/flow/sd_conn.h:
src/flow/../decode/sd_decode.h:
src/flow/../decode/../capture/sd_capture.h:
src/flow/../decode/../capture/../common/sd_common.h:

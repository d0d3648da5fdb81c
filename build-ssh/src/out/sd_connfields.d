build-ssh/src/out/sd_connfields.o: src/out/sd_connfields.c \
 src/out/sd_connfields.h src/out/../flow/sd_conn.h \
 src/out/../flow/../decode/sd_decode.h \
 src/out/../flow/../decode/../capture/sd_capture.h \
 src/out/../flow/../decode/../capture/../common/sd_common.h \
 src/out/sd_fields.h src/out/sd_json.h src/out/../common/sd_common.h
src/out/sd_connfields.h:
src/out/../flow/sd_conn.h:
src/out/../flow/../decode/sd_decode.h:
src/out/../flow/../decode/../capture/sd_capture.h:
src/out/../flow/../decode/../capture/../common/sd_common.h:
src/out/sd_fields.h:
src/out/sd_json.h:
src/out/../common/sd_common.h:

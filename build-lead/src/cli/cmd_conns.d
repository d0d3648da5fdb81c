build-lead/src/cli/cmd_conns.o: src/cli/cmd_conns.c \
 src/cli/../out/sd_connfields.h src/cli/../out/../flow/sd_conn.h \
 src/cli/../out/../flow/../decode/sd_decode.h \
 src/cli/../out/../flow/../decode/../capture/sd_capture.h \
 src/cli/../out/../flow/../decode/../capture/../common/sd_common.h \
 src/cli/../out/sd_fields.h src/cli/../out/sd_json.h \
 src/cli/../out/../common/sd_common.h src/cli/cli.h \
 src/cli/../capture/sd_capture.h src/cli/../flow/sd_engine.h \
 src/cli/../flow/sd_conn.h src/cli/../flow/sd_reasm.h \
 src/cli/../flow/../common/sd_common.h
src/cli/../out/sd_connfields.h:
src/cli/../out/../flow/sd_conn.h:
src/cli/../out/../flow/../decode/sd_decode.h:
src/cli/../out/../flow/../decode/../capture/sd_capture.h:
src/cli/../out/../flow/../decode/../capture/../common/sd_common.h:
src/cli/../out/sd_fields.h:
src/cli/../out/sd_json.h:
src/cli/../out/../common/sd_common.h:
src/cli/cli.h:
src/cli/../capture/sd_capture.h:
src/cli/../flow/sd_engine.h:
src/cli/../flow/sd_conn.h:
src/cli/../flow/sd_reasm.h:
src/cli/../flow/../common/sd_common.h:

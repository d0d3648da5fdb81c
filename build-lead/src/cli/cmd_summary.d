build-lead/src/cli/cmd_summary.o: src/cli/cmd_summary.c \
 src/cli/../out/sd_json.h src/cli/../out/../common/sd_common.h \
 src/cli/cli.h src/cli/../capture/sd_capture.h \
 src/cli/../capture/../common/sd_common.h src/cli/../flow/sd_engine.h \
 src/cli/../flow/sd_conn.h src/cli/../flow/../decode/sd_decode.h \
 src/cli/../flow/../decode/../capture/sd_capture.h \
 src/cli/../flow/sd_reasm.h src/cli/../flow/../common/sd_common.h
src/cli/../out/sd_json.h:
src/cli/../out/../common/sd_common.h:
src/cli/cli.h:
src/cli/../capture/sd_capture.h:
src/cli/../capture/../common/sd_common.h:
src/cli/../flow/sd_engine.h:
src/cli/../flow/sd_conn.h:
src/cli/../flow/../decode/sd_decode.h:
src/cli/../flow/../decode/../capture/sd_capture.h:
src/cli/../flow/sd_reasm.h:
src/cli/../flow/../common/sd_common.h:

build-lead/src/out/sd_fields.o: src/out/sd_fields.c src/out/sd_fields.h \
 src/out/sd_json.h src/out/../common/sd_common.h
src/out/sd_fields.h:
src/out/sd_json.h:
src/out/../common/sd_common.h:

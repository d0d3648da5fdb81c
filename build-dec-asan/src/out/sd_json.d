build-dec-asan/src/out/sd_json.o: src/out/sd_json.c src/out/sd_json.h \
 src/out/../common/sd_common.h
src/out/sd_json.h:
src/out/../common/sd_common.h:

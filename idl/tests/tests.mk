# Generator tests; included by idl/Makefile (B, IDL_DIR, TOP, MIG_VECTORS set there).
T := $(IDL_DIR)/tests
TB := $(B)/tests

.PHONY: test
test: $(B)/mig
	@$(T)/run-tests.sh "$(B)" "$(TOP)" "$(MIG_VECTORS)" "$(GNUMACH_INCLUDE)"

# The fuzz target, built two ways: a replay driver under ASan+UBSan for
# `make test`, and libFuzzer (clang) for `make fuzz`.
FUZZ_SRCS := $(filter-out main.c,$(SRCS)) 
FUZZ_DEPS := $(T)/fuzz/fuzz_parse.c $(FUZZ_SRCS:%=$(IDL_DIR)/src/%) $(B)/gen/parser.c $(B)/gen/lexer.c
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
CLANG ?= clang

test: $(B)/fuzz-replay
$(B)/fuzz-replay: $(T)/fuzz/replay.c $(FUZZ_DEPS) $(wildcard $(IDL_DIR)/src/*.h)
	$(CC) -g -O1 $(SAN) $(INC) -o $@ $(T)/fuzz/replay.c $(FUZZ_DEPS)

$(B)/fuzz-libfuzzer: $(FUZZ_DEPS) $(wildcard $(IDL_DIR)/src/*.h)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined $(INC) -o $@ $(FUZZ_DEPS)

.PHONY: fuzz
fuzz: $(B)/fuzz-libfuzzer
	@mkdir -p $(B)/fuzz-corpus
	cp $(T)/fuzz/corpus/* $(B)/fuzz-corpus/
	$(B)/fuzz-libfuzzer -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 $(B)/fuzz-corpus

# Generator tests; included by idl/Makefile (B, IDL_DIR, TOP, MIG_VECTORS set there).
T := $(IDL_DIR)/tests
TB := $(B)/tests

.PHONY: test
test: $(B)/mig
	@$(T)/run-tests.sh "$(B)" "$(TOP)" "$(MIG_VECTORS)" "$(GNUMACH_INCLUDE)"

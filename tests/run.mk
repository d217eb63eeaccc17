# tests/run.mk: one target per test program, so that `make -jN` (or the
# jobserver of the make that runs tests/run.sh) runs N of them at a time.
# tests/run.sh passes TESTS_LIST, slowest first.
.PHONY: all $(TESTS_LIST)
all: $(TESTS_LIST)
$(TESTS_LIST):
	@sh "$(TOP)/tests/run-one.sh" $@

# Thin front for CMake. Every target installs what is missing first
# (scripts/setup is quick when everything is present).
BUILD      ?= build
SAN_BUILD  ?= build-sanitize
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
PORT       ?= 9900
CTEST_ARGS ?=
SOURCES     = $(shell git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c' 'bench/*.h' 2>/dev/null)

# Sanitizer runs fail on the first report, and leaks count as failures.
export ASAN_OPTIONS  ?= abort_on_error=0:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS ?= print_stacktrace=1:halt_on_error=1

FUZZ_SECONDS ?= 60
FUZZ_RUNS    ?= 20000
FUZZ_SMOKE_SECONDS ?= 60
FUZZ_TARGETS  = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all build setup run image test test-sanitize test-valgrind fuzz fuzz-smoke fuzz-build format lint clean

all: build

setup:
	@scripts/setup

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

run: build
	@echo "Starting gomoku-httpd on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)."
	@echo "Play in a browser at that address, or from another terminal:"
	@echo "    bin/gomoku-http-client --port $(PORT)"
	@exec bin/gomoku-httpd --bind 127.0.0.1:$(PORT)

# The container image gomoku-httpd:<version>, FROM scratch, nothing pulled
# (scripts/build-image; docs/operations.md, "Container image").
image: build
	@scripts/build-image

# Every test: unit, integration and browser tests, through ctest.
test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The unit and integration tests again, built with ASan + UBSan.
test-sanitize: setup
	@cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DGOMOKU_SANITIZE=ON \
	    -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DGOMOKU_BIN_DIR=$(CURDIR)/$(SAN_BUILD)/bin >/dev/null
	@cmake --build $(SAN_BUILD) -j $(JOBS) -- --no-print-directory
	@cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS) -LE 'browser|nosan' $(CTEST_ARGS)

# libFuzzer (clang): `make fuzz` runs each target for FUZZ_SECONDS, keeping
# new inputs in $(FUZZ_BUILD)/corpus/<name> (the committed seeds are only
# read); `make fuzz-smoke` runs each for FUZZ_RUNS inputs or FUZZ_SMOKE_SECONDS,
# whichever comes first, with new inputs kept out of the committed seeds (CI).
fuzz-build: setup
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	    -DCMAKE_C_FLAGS_DEBUG="-O1 -g" -DGOMOKU_FUZZ=ON -DGOMOKU_BIN_DIR=$(CURDIR)/$(FUZZ_BUILD)/bin >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(FUZZ_TARGETS) -- --no-print-directory

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	    c=$${t#fuzz_}; mkdir -p $(FUZZ_BUILD)/corpus/$$c; \
	    echo "== $$t for $(FUZZ_SECONDS) s"; \
	    $(FUZZ_BUILD)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        $(FUZZ_BUILD)/corpus/$$c tests/fuzz/corpus/$$c || exit 1; \
	done

fuzz-smoke: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	    c=$${t#fuzz_}; rm -rf $(FUZZ_BUILD)/smoke/$$c; mkdir -p $(FUZZ_BUILD)/smoke/$$c; \
	    echo "== $$t: $(FUZZ_RUNS) runs or $(FUZZ_SMOKE_SECONDS) s"; \
	    out=$$($(FUZZ_BUILD)/fuzz/$$t -runs=$(FUZZ_RUNS) -max_total_time=$(FUZZ_SMOKE_SECONDS) \
	        -seed=1 $(FUZZ_BUILD)/smoke/$$c tests/fuzz/corpus/$$c 2>&1) \
	        || { echo "$$out" | tail -n 60; exit 1; }; \
	    echo "$$out" | tail -n 1; \
	done

# valgrind memcheck over the integration tests' daemons.
test-valgrind: build
	@scripts/test-valgrind

format:
	@clang-format -i $(SOURCES)

lint:
	@scripts/lint-paths
	@clang-format --dry-run --Werror $(SOURCES)
	@cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --inline-suppr --std=c11 -I src --suppress=missingIncludeSystem src

clean:
	@rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD) bin

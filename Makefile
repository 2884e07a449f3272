# The README's two commands live here: `make run` and `make test`.
BUILD      := build
TEST_BUILD := build-test
DATA       ?= data
LISTEN     ?= 127.0.0.1:8080
JOBS       := $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build bootstrap run test fuzz bench format clean

all: build

build:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYJ_WERROR=ON >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

bootstrap:
	@scripts/bootstrap

# Installs what is missing, builds, initialises ./data once (printing the first
# authority password), and serves the UI and API.
run: bootstrap build
	@if [ ! -f $(DATA)/yingji.db ]; then ./$(BUILD)/yingji init --data $(DATA); fi
	./$(BUILD)/yingji serve --data $(DATA) --listen $(LISTEN)

# Installs what is missing, builds with ASan + UBSan and runs every test. The
# optimised build comes first: -O2 finds warnings (errors here) that -O1 does not.
test: bootstrap build
	cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS="-O1" \
	  -DYJ_SANITIZE=ON -DYJ_TESTING=ON -DYJ_WERROR=ON >/dev/null
	cmake --build $(TEST_BUILD) -j$(JOBS)
	cd $(TEST_BUILD) && ctest --output-on-failure -j$(JOBS) --timeout 900

# A short libFuzzer run of every target (clang); new inputs land in tests/fuzz/corpus.
fuzz: bootstrap
	scripts/fuzz

# Benchmarks (not tests); see docs/PERFORMANCE.md.
bench: bootstrap
	@scripts/bootstrap --bench
	bench/run

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(TEST_BUILD) build-fuzz

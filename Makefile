# trm-exp build entry points. Each target installs what it needs first.

# Let Swift use AVX2/FMA where the CPU has them (exp-heavy kernels run ~1.6x faster).
CPU_FLAGS := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo "-Xswiftc -target-cpu -Xswiftc haswell")
# WERROR=1 (as .ci/run does) makes every build of our own targets treat warnings as errors.
WERROR_FLAG := -Xswiftc -warnings-as-errors
SWIFT_FLAGS := $(CPU_FLAGS) $(if $(WERROR),$(WERROR_FLAG))
BENCH_ARGS ?=

.PHONY: deps test-deps build release test lint format undocumented warnings coverage docs bench profile demo learning-report clean

# The README's main job: train experiments/sudoku_mlp.json with the release build.
DEMO_CONFIG ?= experiments/sudoku_mlp.json

deps:
	@scripts/install-deps.sh

# The web UI's tests drive headless Chromium; only the tests need it.
test-deps:
	@scripts/install-deps.sh chromium

build: deps
	swift build $(SWIFT_FLAGS)

release: deps
	swift build -c release $(SWIFT_FLAGS)

# The test process cannot relaunch itself as trm-exp does (BLAS.relaunchWithShortWorkerSpin), so
# it gets the same short OpenBLAS worker spin here: with OpenBLAS's default the worker spins ~0.1 s
# after every product while the suites run in parallel on the same cores. A value the user set stands.
# 20 is BLAS.workerSpinLog2Cycles; change both together.
TEST_WORKER_SPIN := OPENBLAS_THREAD_TIMEOUT=$${OPENBLAS_THREAD_TIMEOUT:-20}

test: test-deps
	swift build --build-tests $(SWIFT_FLAGS)
	$(TEST_WORKER_SPIN) swift test --skip-build $(SWIFT_FLAGS)

# Style gate: swift-format ships with the toolchain; the rules are in .swift-format.
FORMAT_PATHS := Sources Tests

lint:
	swift format lint --strict --recursive --configuration .swift-format $(FORMAT_PATHS)

# Rewrites the tree so that `make lint` passes (whitespace, line breaks, import order, commas).
format:
	swift format format -i --recursive --configuration .swift-format $(FORMAT_PATHS)

# Documentation gate: lists public declarations of the library targets without a /// comment and
# fails when there is any.
undocumented:
	python3 scripts/undocumented.py

# Warning gate: a debug build (tests included) and a release build of every target with warnings
# as errors. SwiftPM passes -Xswiftc flags to our targets only: dependencies are compiled with
# -suppress-warnings instead. Its own scratch folder keeps .build (and make test) untouched;
# WARNINGS_BUILD_PATH=.build after `make test WERROR=1` finds the debug build up to date.
WARNINGS_BUILD_PATH ?= .build-warnings
WARNINGS_FLAGS := --scratch-path $(WARNINGS_BUILD_PATH) $(CPU_FLAGS) $(WERROR_FLAG)

warnings: deps
	swift build --build-tests $(WARNINGS_FLAGS)
	swift build -c release $(WARNINGS_FLAGS)

# Tests with code coverage; prints line coverage per target and fails below COVERAGE_MIN (70 %).
coverage: test-deps
	$(TEST_WORKER_SPIN) scripts/coverage.sh $(SWIFT_FLAGS)

# DocC documentation of the library targets (swift-docc-plugin), one archive per target under
# .build/plugins/Swift-DocC/outputs/.
DOC_TARGETS := TRMCore TRMModel TRMData TRMExperiment TRMServe

docs: deps
	swift package generate-documentation $(foreach t,$(DOC_TARGETS),--target $(t))

demo: deps
	swift build -c release $(SWIFT_FLAGS) --product trm-exp
	.build/release/trm-exp run $(DEMO_CONFIG)

# Our recipes' results beside the official implementation's (experiments/reference/): the latest
# finished run or seed group of each recipe in STORE, and whether it meets the targets.
STORE ?= runs/trm.sqlite
REFERENCE ?= experiments/reference/reference-results.json

learning-report: deps
	swift build $(SWIFT_FLAGS) --product trm-exp
	.build/debug/trm-exp compare --reference $(REFERENCE) --store $(STORE)

bench: deps
	swift build -c release $(SWIFT_FLAGS) --product trm-bench
	.build/release/trm-bench $(BENCH_ARGS)

# Where one measurement's time goes: `make profile JOB=sudoku-mlp-small/train/64` runs that
# trm-bench measurement (JOB = config/train|infer/batch) under perf for at least PROFILE_SECONDS
# of work and prints the samples grouped by kind (sgemm kernel, packing, engine kernels, idle
# worker spin, page faults, ...) and the top symbols. perf (linux-perf) is installed for it only.
JOB ?= sudoku4-mlp-tiny/train/256
PROFILE_SECONDS ?= 10

profile:
	@scripts/install-deps.sh linux-perf
	swift build -c release $(SWIFT_FLAGS) --product trm-bench
	scripts/profile.sh $(JOB) $(PROFILE_SECONDS)

clean:
	rm -rf .build

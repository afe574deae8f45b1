PYTHON ?= python3

.PHONY: install test lint bench profile accuracy fuzz docs example screenshots

install:
	$(PYTHON) -m pip install -q -e '.[test]'

test: install
	$(PYTHON) -m ruff check citecheck tests benchmarks
	$(PYTHON) -m pytest

lint:
	$(PYTHON) -m ruff check citecheck tests benchmarks
	$(PYTHON) -m ruff format --check citecheck tests benchmarks

bench: install
	$(PYTHON) benchmarks/bench.py
	$(PYTHON) benchmarks/bench_verify.py
	$(PYTHON) benchmarks/bench_readers.py
	$(PYTHON) benchmarks/hostile.py
	$(PYTHON) benchmarks/bench_batch.py --quick

# Per-stage table of one audit: make profile FILE=paper.txt
profile: install
	$(PYTHON) benchmarks/profile.py $(FILE)

accuracy: install
	$(PYTHON) benchmarks/accuracy.py

# Hostile input for FUZZ_SECONDS (needs the test extra: make install); failures go to FUZZ_SAVE.
FUZZ_SECONDS ?= 180
FUZZ_SAVE ?= /tmp/fuzz-failures
fuzz:
	$(PYTHON) benchmarks/fuzz.py --seconds $(FUZZ_SECONDS) --save $(FUZZ_SAVE)

docs: install
	$(PYTHON) -m citecheck rules --format markdown > docs/rules.md

example: install
	citecheck audit fixtures/example.md

# The pictures in docs/img: the HTML report and an annotated PDF page of fixtures/example.md.
screenshots: install
	$(PYTHON) docs/screenshots.py

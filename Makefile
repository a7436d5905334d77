# netops: everything a fresh machine needs is installed from here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test reliability bench lint clean

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	./scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,lint]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	./scripts/demo.sh

test: install
	$(BIN)/pytest -q --durations=15

reliability: install  # the long cases (faults and platforms `make test` samples once), 1,000+ generated inputs per kind
	NETOPS_FUZZ=nightly NETOPS_RELIABILITY_DOC=docs/reliability.md $(BIN)/pytest -q -m "long or matrix"

lint: install  # the architecture (import-linter contracts in pyproject.toml), style and types
	$(BIN)/lint-imports
	$(BIN)/ruff check netops tui labs tests bench
	$(BIN)/mypy

bench: install  # each prints netops next to a peer measured in the same run
	$(BIN)/python bench/lab.py
	$(BIN)/python bench/lab_snmp.py
	$(BIN)/python bench/backup.py
	$(BIN)/python bench/parsers.py
	$(BIN)/python bench/policy.py
	$(BIN)/python bench/resilience.py
	$(BIN)/python bench/snmp.py
	$(BIN)/python bench/history.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/distributed.py

clean:
	rm -rf $(VENV) build *.egg-info

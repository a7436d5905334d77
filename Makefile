# netops: everything a fresh machine needs is installed from here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench lint clean

$(STAMP): pyproject.toml scripts/install-system-deps.sh
	./scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	./scripts/demo.sh

test: install
	$(BIN)/pytest -q

bench: install
	$(BIN)/python bench/backup.py
	$(BIN)/python bench/policy.py
	$(BIN)/python bench/snmp.py

clean:
	rm -rf $(VENV) build *.egg-info

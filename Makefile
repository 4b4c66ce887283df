# masa: two commands on a fresh machine.
#   make demo   set everything up, load the Pan-Bedfordshire examples (Luton, Bedford Borough, Central
#               Bedfordshire) into one database, run the checks, build Luton's and Bedford Borough's DRAFT and internal reports
#   make test   set everything up and run the whole suite
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
OUT     ?= build/report
DB      ?= build/masa.sqlite3

.PHONY: setup system-deps demo test test-fast lint bench clean

setup: system-deps $(STAMP) $(NODE_STAMP)

system-deps:
	@scripts/install-system-deps.sh

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

demo: setup
	@mkdir -p $(dir $(DB))
	MASA_DB=$(DB) $(BIN)/masa demo --example examples/luton-2024-25 --example examples/bedford-borough-2024-25 \
	  --example examples/central-bedfordshire-2024-25 --report luton --report bedford-borough --out $(OUT)

test: setup
	@scripts/ensure-postgres.sh
	scripts/test.sh

test-fast: setup
	$(BIN)/pytest -n 2 -m "not browser and not postgres and not slow"

lint: setup
	$(BIN)/ruff check src tests bench

bench: setup
	@scripts/bench.sh

clean:
	rm -rf build .pytest_cache

# One entry point for set-up, tests, benchmarks and the demo.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PORTFOLIO ?= var/portfolio
BUSINESSES ?= 12000
SEED ?= 7

.PHONY: install browser java check test lint format bench demo docs lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

browser:
	bash .ci/browser.sh

java:
	bash .ci/java.sh

# The fast tier: lint and every test that starts no server or browser and trains no model
# (markers follow the fixtures a test uses: tests/tiers.py), on every core.
check: lint
	$(BIN)/pytest -m "not slow" -n auto -q

# Everything, as CI runs it.
test: lint browser java
	$(BIN)/pytest

# The guide in docs/ as a site, in var/site.
docs: install
	$(BIN)/mkdocs build

bench: install
	$(BIN)/python -m rescue.bench

demo: install
	@echo "demo: $(BUSINESSES) businesses (seed $(SEED)) in $(PORTFOLIO). On 2 cores, 3000"
	@echo "      (make demo BUSINESSES=3000) serve in about 9 minutes from a fresh clone; training"
	@echo "      shows each step and the time left (docs/first-run.md)"
	$(BIN)/rescue generate --businesses $(BUSINESSES) --seed $(SEED) --out $(PORTFOLIO)
	$(BIN)/rescue summary $(PORTFOLIO)
	$(BIN)/rescue train --data $(PORTFOLIO)
	$(BIN)/rescue promote all
	$(BIN)/rescue db load $(PORTFOLIO)
	$(BIN)/rescue users demo
	@echo "MLflow UI on http://127.0.0.1:5000 (the embedded store under var/)"
	$(BIN)/mlflow ui --backend-store-uri sqlite:///$(CURDIR)/var/mlflow.db \
		--host 127.0.0.1 --port 5000 > var/mlflow-ui.log 2>&1 & \
	trap 'kill $$!' EXIT; \
	$(BIN)/rescue serve --host 127.0.0.1 --port 8000 --workers 2

# Re-resolve the pinned, hashed dependency set after editing pyproject.toml.
lock:
	$(BIN)/python -m pip install --quiet uv==0.13.8
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

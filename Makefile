# Two commands do everything on a fresh machine with Python 3.11 and npm:
#   make demo   -> virtual environment, offline pose models, analysis of the built-in example
#   make test   -> virtual environment, offline pose models, the test suite on both cores
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
OUT    ?= out/demo

.PHONY: demo test install models lint clean

demo: models
	$(BIN)/mechanics demo --out $(OUT)

test: models
	$(BIN)/ruff check mechanics tests benchmarks examples
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

models: install
	$(BIN)/mechanics models install

lint: install
	$(BIN)/ruff check mechanics tests benchmarks examples

clean:
	rm -rf $(VENV) out models/build models/cache models/*.task

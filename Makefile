# The two commands a newcomer needs: `make demo` and `make test`. Both set up .venv when it is
# missing or older than pyproject.toml, so a fresh machine needs nothing done by hand.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_AT ?= 2022-07-05T08:00

.PHONY: demo test lint format bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev,import,export]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/chibo demo --today $(DEMO_AT)

test: $(STAMP)
	@# The browser test's Chromium (Debian's); as root it is installed here, otherwise that test says why it skips.
	command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest --durations=10

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache *.egg-info

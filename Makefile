# make demo  - set up .venv (pinned stack, cached mmcv build) and train the PE-SinGAN demo
# make test  - set up the same way and run the test suite
PY := .venv/bin/python
DEMO_CONFIG := configs/pe_singan/singan_spe-8ch_demo_balloons.py
DEMO_DIR := work_dirs/demo

.PHONY: setup demo test clean-demo

setup:
	@bash scripts/setup_env.sh

demo: setup
	@bash scripts/run_demo.sh $(DEMO_CONFIG) $(DEMO_DIR)

test: setup
	$(PY) -m pytest -q tests

clean-demo:
	rm -rf $(DEMO_DIR)

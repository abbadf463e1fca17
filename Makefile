# Two commands matter: `make run` and `make test`. The rest are for developers.
SHELL := /bin/bash
ENV := source scripts/env.sh &&

.PHONY: run test test-fast setup lint format train validate validate-content shell evaluate explore lock clean purge cluster cluster-down

run: setup train ## Install, train if needed, start action server + Rasa + the demo page
	scripts/serve.sh

test: ## The whole test suite (what CI runs)
	scripts/test.sh

# Measured on the development machine (2 cores shared with other work, load 3.7-3.9), two
# runs: 68 s and 85 s (unit tests 33-39 s, adapter and action tests 23-33 s, the rest start-up).
test-fast: setup ## Quick loop: unit tests alone, then adapter + action tests; no lint, training or servers (70-85 s)
	scripts/test-fast.sh

setup: ## Create .venv (Python 3.10) with the pinned requirements
	scripts/setup.sh

lint: setup ## ruff (lint + format check) and mypy
	scripts/lint.sh

format: setup ## Format the Python code with ruff
	$(ENV) .venv/bin/ruff format . && .venv/bin/ruff check --fix .

train: setup ## Train the model (skipped by Rasa when nothing changed)
	scripts/train.sh

validate: setup validate-content ## Check training data, domain and content
	$(ENV) .venv/bin/rasa data validate

validate-content: setup ## Check the content module (bot/content/data)
	$(ENV) .venv/bin/python -m bot.content

shell: setup train ## Talk to the assistant in the terminal
	mkdir -p var/log && $(ENV) (scripts/server.sh actions > var/log/actions-shell.log 2>&1 & \
	  trap "kill $$! 2>/dev/null" EXIT; .venv/bin/rasa shell --model models/backpain.tar.gz --endpoints "$$ENDPOINTS")

evaluate: setup ## NLU cross-validation and held-out scores into results/ (see docs/evaluation.md)
	scripts/evaluate.sh

explore: setup train ## The dialogue explorer with a larger budget (EXPLORE_CONVERSATIONS=5000)
	$(ENV) EXPLORE_CONVERSATIONS=$${EXPLORE_CONVERSATIONS:-5000} .venv/bin/python -m pytest tests/conversations/test_explorer.py -s -q

lock: ## Re-pin requirements.txt and requirements-dev.txt (with hashes) from the .in files
	scripts/lock.sh

purge: setup ## Delete stored messages older than RETENTION_DAYS (default 30) from the tracker store
	scripts/purge.sh

clean: ## Remove trained models, results and runtime data (not the venv)
	rm -rf models results var .pytest_cache test-artifacts

cluster: setup train ## Scale-out on this machine: PostgreSQL, Redis, REPLICAS=2 Rasa servers, nginx on :8000 (docs/deploy.md)
	scripts/cluster.sh up

cluster-down: ## Stop everything `make cluster` started (conversations stay in var/cluster)
	scripts/cluster.sh down

.PHONY: console-user vendor-chartjs
console-user: setup ## A clinic console account: make console-user NAME=<login> ROLE=viewer|clinician|admin (password: first line of stdin; empty: generated)
	@$(ENV) .venv/bin/python -m console user "$(NAME)" "$(ROLE)"

vendor-chartjs: ## Refresh the console's vendored Chart.js from npm (version pinned in the script)
	scripts/vendor-chartjs.sh

.PHONY: bench
bench: setup ## Benchmark against a stock `rasa init` bot, side by side; rewrites docs/performance.md (not part of `make test`)
	$(ENV) .venv/bin/python benchmarks/bench.py --docs $${BENCH_ARGS:---runs 3 --workers 2}

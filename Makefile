# Berth. `make demo` opens the app on a local sandbox; `make test` runs every test.
# Both install what is missing first (Debian 12, as root). See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
SANDBOX_ENV := target/sandbox/env

.PHONY: help deps ui build bindings sandbox-up sandbox-down demo run test e2e-stress lint bench package icons clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

deps: ## Install what is missing (apt packages, moto venv, tauri-driver, node modules)
	@scripts/install

ui: deps ## Build the UI into ui/dist
	cd ui && npx vite build --logLevel warn

build: ui ## Build the app and the CLI (debug)
	cargo build --workspace --bins

bindings: ui ## Regenerate ui/src/lib/bindings from the Rust types
	BERTH_WRITE_BINDINGS=1 cargo test -p berth-desktop --lib bindings::tests::bindings_are_current -- --exact

sandbox-up: deps ## Start the local sandbox (moto, registry, Docker) and seed it; endpoints in target/sandbox/env
	@scripts/sandbox/sandbox up

sandbox-down: ## Stop the sandbox and remove its data
	@scripts/sandbox/sandbox down

demo: build sandbox-up ## Open the app connected to the seeded sandbox
	@scripts/demo

run: build ## Open the app with your own AWS config and Docker engine
	./target/debug/berth-desktop

test: deps ## Run every test (Rust, Vitest, end-to-end) against real local servers
	@scripts/test

e2e-stress: deps ## The end-to-end suite 5 times in a row with both cores loaded (stress-ng --cpu 2)
	@stress-ng --cpu 2 --quiet & STRESS=$$!; trap 'kill $$STRESS 2>/dev/null' EXIT; \
	  BERTH_TEST_ONLY=e2e BERTH_TEST_REPEAT=$${RUNS:-5} scripts/test

lint: ui ## rustfmt, clippy and svelte-check
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --all-features -- -D warnings
	cd ui && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings

bench: deps ## Benchmarks against reference tools and floors (push, copy, images, ui, lifecycle, start); results in target/bench/
	scripts/bench/run

package: ui ## Release .deb and .rpm in target/package/, checked (lintian, install, window, remove)
	@scripts/package/build
	@scripts/package/check

icons: ## Regenerate icons/ from icons/berth.svg
	@scripts/icons

clean: sandbox-down ## Remove build output
	cargo clean
	rm -rf ui/dist

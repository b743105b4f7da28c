#!/usr/bin/env bash
# The test command (README "Test"):
#   1. unit tests (pytest, no database) always;
#   2. integration tests on a real ERPNext site whenever a Frappe bench is found at $FRAPPE_BENCH
#      (default /home/frappe/frappe-bench): a dedicated test site is created or migrated, the app's
#      tests run with `bench run-tests`, then the app is uninstalled (nothing may be left behind)
#      and installed again (its install tests run once more).
#   3. browser tests of the customer portal (tests/browser/, headless Chromium driven by Playwright)
#      when Chromium and Playwright are installed, against the test site served on 127.0.0.1.
#   0. first, lint: ruff, ruff format and prettier on the app's files (.pre-commit-config.yaml).
# Runs as the bench's owner or as root (bench refuses root: commands then run as the owner).
#
# Environment:
#   FRAPPE_BENCH                  bench directory (default /home/frappe/frappe-bench)
#   AFTERSALES_TEST_SITE          test site (default aftersales-test.localhost); never your dev site
#   AFTERSALES_DB_ROOT_USER/PASSWORD  MariaDB account that may create databases (used only to create
#                                 the test site; default aftersales_root/aftersales_root, which this
#                                 script creates when run as root with socket access to MariaDB)
#   AFTERSALES_SKIP_REINSTALL=1   skip the uninstall/reinstall round (faster while developing)
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FRAPPE_BENCH="${FRAPPE_BENCH:-/home/frappe/frappe-bench}"
SITE="${AFTERSALES_TEST_SITE:-aftersales-test.localhost}"
DB_ROOT_USER="${AFTERSALES_DB_ROOT_USER:-aftersales_root}"
DB_ROOT_PASSWORD="${AFTERSALES_DB_ROOT_PASSWORD:-aftersales_root}"

# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

passed=0
failed=0
skipped=0
status=0

say() { printf '\n== %s\n' "$*"; }

# ---------------------------------------------------------------- unit tests
run_unit_tests() {
	say "Unit tests (pytest, no database)"
	if ! python3 -c "import pytest" 2>/dev/null; then
		python3 -m pip install --quiet "pytest>=7" || { echo "could not install pytest"; return 1; }
	fi
	local log
	log="$(mktemp)"
	(cd "$REPO" && python3 -m pytest -q -p no:cacheprovider tests/unit) 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local summary
	summary="$(grep -E '^[0-9]+ (passed|failed)|[0-9]+ passed' "$log" | tail -n 1)"
	passed=$((passed + $(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)))
	failed=$((failed + $(grep -oE '[0-9]+ failed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)))
	skipped=$((skipped + $(grep -oE '[0-9]+ skipped' <<<"$summary" | grep -oE '[0-9]+' || echo 0)))
	rm -f "$log"
	case $rc in
		0) return 0 ;;
		5) echo "pytest collected no unit tests: tests/unit is missing or broken"; return 1 ;;
		*) return 1 ;;
	esac
}

# ---------------------------------------------------------------- lint
# What .pre-commit-config.yaml runs, with the tools on this machine (pre-commit cannot download its
# hooks offline): ruff check, ruff format --check and prettier --check on the app's files. Each check
# counts as one passed or failed test; a missing tool prints a SKIPPED line.
find_prettier() {
	local candidate
	for candidate in "$REPO/node_modules/.bin/prettier" "$FRAPPE_BENCH/node_modules/.bin/prettier" \
		"$FRAPPE_BENCH/apps/frappe/node_modules/.bin/prettier" "$(command -v prettier || true)"; do
		if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
	done
	# npx only when it has prettier already (offline: never download)
	if command -v npx >/dev/null && npx --no-install prettier --version >/dev/null 2>&1; then
		echo "npx --no-install prettier"; return 0
	fi
	return 1
}

lint_check() {
	local name="$1"; shift
	if (cd "$REPO" && "$@"); then
		echo "Lint $name: passed"; passed=$((passed + 1))
	else
		echo "Lint $name: FAILED (the files above; fix with the same tool, e.g. ruff format / prettier --write)"; failed=$((failed + 1)); return 1
	fi
}

run_lint() {
	say "Lint (ruff, ruff-format, prettier)"
	local rc=0 ruff prettier
	local python_paths=(aftersales tests scripts)
	if command -v ruff >/dev/null; then ruff=(ruff)
	elif python3 -m ruff --version >/dev/null 2>&1; then ruff=(python3 -m ruff)
	fi
	if [ -n "${ruff[*]:-}" ]; then
		lint_check "ruff check" "${ruff[@]}" check "${python_paths[@]}" || rc=1
		lint_check "ruff format" "${ruff[@]}" format --check "${python_paths[@]}" || rc=1
	else
		echo "Lint ruff SKIPPED: ruff is not installed (python3 -m pip install ruff)"; skipped=$((skipped + 2))
	fi
	if prettier="$(find_prettier)"; then
		local js
		mapfile -t js < <(cd "$REPO" && git ls-files '*.js' 2>/dev/null || find aftersales tests -name '*.js')
		# shellcheck disable=SC2086
		lint_check "prettier" $prettier --check "${js[@]}" || rc=1
	else
		echo "Lint prettier SKIPPED: no prettier (the bench's apps/frappe/node_modules, PATH or npx)"
		skipped=$((skipped + 1))
	fi
	return $rc
}

# ---------------------------------------------------------------- integration tests
prepare_site() {
	if [ ! -f "$FRAPPE_BENCH/sites/$SITE/site_config.json" ]; then
		say "Creating test site $SITE"
		ensure_db_admin
		local apps="--install-app erpnext"
		[ -d "$FRAPPE_BENCH/apps/payments" ] && apps="$apps --install-app payments"
		as_bench "bench new-site '$SITE' --db-root-username '$DB_ROOT_USER' --db-root-password '$DB_ROOT_PASSWORD' \
			--admin-password admin $apps --install-app aftersales" || return 1
		as_bench "bench --site '$SITE' set-config allow_tests true" || return 1
	else
		say "Migrating test site $SITE"
		if ! as_bench "bench --site '$SITE' list-apps" | grep -q '^aftersales'; then
			as_bench "bench --site '$SITE' install-app aftersales" || return 1
		fi
		as_bench "bench --site '$SITE' set-config allow_tests true" || return 1
		as_bench "bench --site '$SITE' migrate" || return 1
	fi
}

count_unittest() {
	# Add a `bench run-tests` log's counts to the totals; fail when it did not end in OK.
	local log="$1" ran fails errors skips
	ran="$(grep -oE '^Ran [0-9]+ tests?' "$log" | tail -n 1 | grep -oE '[0-9]+')"
	if [ -z "$ran" ]; then
		echo "no unittest summary found in the output"
		failed=$((failed + 1))
		return 1
	fi
	fails="$(grep -oE 'failures=[0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)"
	errors="$(grep -oE 'errors=[0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)"
	skips="$(grep -oE 'skipped=[0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || true)"
	fails=$(( ${fails:-0} + ${errors:-0} ))
	skips=${skips:-0}
	passed=$((passed + ran - fails - skips))
	failed=$((failed + fails))
	skipped=$((skipped + skips))
	grep -qE '^OK' "$log" && [ "$fails" = 0 ]
}

run_bench_tests() {
	local log rc
	log="$(mktemp)"
	chmod 644 "$log"
	as_bench "CI=1 bench --site '$SITE' run-tests $*" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	count_unittest "$log"
	local counted=$?
	rm -f "$log"
	[ "$rc" = 0 ] && [ "$counted" = 0 ]
}

run_integration_tests() {
	if [ ! -d "$FRAPPE_BENCH/apps/frappe" ] || [ ! -d "$FRAPPE_BENCH/apps/erpnext" ]; then
		say "Integration tests SKIPPED: no Frappe bench with ERPNext at FRAPPE_BENCH=$FRAPPE_BENCH (set FRAPPE_BENCH to a bench made by scripts/setup.sh to run them)"
		return 0
	fi
	find_bench_user
	if [ "$(id -un)" != "$bench_user" ] && [ "$(id -u)" != 0 ]; then
		say "Integration tests SKIPPED: the bench belongs to $bench_user; run as $bench_user or as root"
		return 0
	fi
	say "Integration tests on $FRAPPE_BENCH, site $SITE (as $bench_user)"
	trap restore_app_link EXIT
	ensure_redis
	use_this_checkout || return 1
	prepare_site || { echo "could not prepare the test site"; failed=$((failed + 1)); return 1; }

	say "bench --site $SITE run-tests --app aftersales"
	local rc=0
	run_bench_tests "--app aftersales" || rc=1

	if [ "${AFTERSALES_SKIP_REINSTALL:-}" = 1 ]; then
		say "Uninstall/reinstall round skipped (AFTERSALES_SKIP_REINSTALL=1)"
		return $rc
	fi
	say "Uninstall leaves nothing behind"
	if as_bench "bench --site '$SITE' uninstall-app aftersales --yes --no-backup --force >/dev/null \
		&& cd sites && ../env/bin/python -m aftersales.setup.leftovers '$SITE'"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1)); rc=1
	fi
	say "Reinstall works"
	if as_bench "bench --site '$SITE' install-app aftersales"; then
		run_bench_tests "--module aftersales.tests.integration.test_install" || rc=1
	else
		failed=$((failed + 1)); rc=1
	fi
	return $rc
}

# ---------------------------------------------------------------- browser tests
# The customer portal in headless Chromium (tests/browser/): Debian's `chromium` driven by Playwright
# for Python (pip install playwright; no browser is downloaded), against the test site served on
# 127.0.0.1 for the run. Needs the bench (the integration tests above prepared the site), Chromium and
# Playwright; otherwise one SKIPPED line says which is missing.
BROWSER_PORT_FILE=""
stop_portal_server() {
	if [ -n "$BROWSER_PORT_FILE" ] && [ -s "$BROWSER_PORT_FILE.pid" ]; then
		kill "$(cat "$BROWSER_PORT_FILE.pid")" 2>/dev/null || true
	fi
	rm -f "$BROWSER_PORT_FILE" "$BROWSER_PORT_FILE.pid" "$BROWSER_PORT_FILE.log"
}

run_browser_tests() {
	local chromium
	chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
	if [ ! -d "$FRAPPE_BENCH/apps/frappe" ] || [ ! -f "$FRAPPE_BENCH/sites/$SITE/site_config.json" ]; then
		say "Browser tests SKIPPED: no Frappe bench with the test site $SITE (see the integration tests)"
		return 0
	fi
	if [ -z "$chromium" ]; then
		say "Browser tests SKIPPED: no Chromium (apt-get install chromium; scripts/setup.sh installs it)"
		return 0
	fi
	if ! python3 -c "import playwright.sync_api, pytest" 2>/dev/null; then
		say "Browser tests SKIPPED: Playwright for Python is missing (python3 -m pip install playwright; scripts/setup.sh installs it)"
		return 0
	fi
	find_bench_user
	if [ "$(id -un)" != "$bench_user" ] && [ "$(id -u)" != 0 ]; then
		say "Browser tests SKIPPED: the bench belongs to $bench_user; run as $bench_user or as root"
		return 0
	fi
	say "Browser tests (Chromium $("$chromium" --version 2>/dev/null | grep -oE '[0-9.]+' | head -n 1), site $SITE)"
	ensure_redis
	# the demo's portal customers, their purchases and orders
	if ! as_bench "bench --site '$SITE' execute aftersales.setup.demo.load >/dev/null"; then
		echo "could not load the demo data"; failed=$((failed + 1)); return 1
	fi
	local port
	port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
	BROWSER_PORT_FILE="$(mktemp)"
	chmod 666 "$BROWSER_PORT_FILE"
	as_bench "cd sites && { nohup ../env/bin/python ../apps/aftersales/scripts/serve.py --port '$port' --site '$SITE' \
		>'$BROWSER_PORT_FILE.log' 2>&1 & echo \$! >'$BROWSER_PORT_FILE.pid'; }"
	for _ in $(seq 60); do port_open "$port" && break; sleep 1; done
	if ! port_open "$port"; then
		echo "the test site did not start on 127.0.0.1:$port"; cat "$BROWSER_PORT_FILE.log" 2>/dev/null | tail -n 20
		stop_portal_server; failed=$((failed + 1)); return 1
	fi
	local log rc summary
	log="$(mktemp)"
	(cd "$REPO" && PORTAL_BASE_URL="http://127.0.0.1:$port" CHROMIUM="$chromium" \
		python3 -m pytest -q -p no:cacheprovider tests/browser) 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	if [ "$rc" != 0 ] && grep -q "PAGE ERROR" "$BROWSER_PORT_FILE.log" 2>/dev/null; then
		echo "pages that failed on the server (scripts/serve.py):"
		grep -A 60 "PAGE ERROR" "$BROWSER_PORT_FILE.log" | head -n 200
	fi
	stop_portal_server
	summary="$(grep -E '[0-9]+ (passed|failed|skipped|errors?)' "$log" | tail -n 1)"
	local p f e s
	p="$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)"
	f="$(grep -oE '[0-9]+ failed' <<<"$summary" | grep -oE '[0-9]+' || echo 0)"
	e="$(grep -oE '[0-9]+ errors?' <<<"$summary" | grep -oE '[0-9]+' || echo 0)"
	s="$(grep -oE '[0-9]+ skipped' <<<"$summary" | grep -oE '[0-9]+' || echo 0)"
	passed=$((passed + p)); failed=$((failed + f + e)); skipped=$((skipped + s))
	rm -f "$log"
	if [ "$rc" != 0 ] && [ $((f + e)) = 0 ]; then
		echo "the browser tests did not finish (pytest exit code $rc)"; failed=$((failed + 1))
	fi
	[ "$rc" = 0 ]
}

run_lint || status=1
run_unit_tests || status=1
run_integration_tests || status=1
run_browser_tests || status=1

say "Summary"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status

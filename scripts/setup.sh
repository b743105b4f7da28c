#!/usr/bin/env bash
# Set up and run (README "Set up and run"): on a fresh Debian 12 / Ubuntu 22.04+ machine, as root,
# installs what bench needs, creates a bench with Frappe + ERPNext v15 and this app, creates a
# site, installs the app, loads the demo data and serves the desk on 127.0.0.1.
# Safe to re-run: every step checks what is already there.
#
# Environment (defaults in brackets):
#   BENCH_USER [frappe]                 ordinary user that owns the bench (bench refuses root)
#   FRAPPE_BENCH [/home/$BENCH_USER/frappe-bench]
#   SITE [aftersales.localhost]         PORT [8000]      ADMIN_PASSWORD [admin]
#   FRAPPE_PATH [https://github.com/frappe/frappe]       FRAPPE_BRANCH [version-15]
#   ERPNEXT_PATH [https://github.com/frappe/erpnext]     ERPNEXT_BRANCH [version-15]
#   PAYMENTS_PATH [https://github.com/frappe/payments]   PAYMENTS_BRANCH [version-15]
#     (FRAPPE_PATH/FRAPPE_BRANCH are bench init's --frappe-path/--frappe-branch; the others are
#      bench get-app's source and --branch: point them at mirrors or local clones)
#   AFTERSALES_DB_ROOT_USER/PASSWORD [aftersales_root/aftersales_root]  MariaDB account that may
#     create databases; made here from MariaDB's root over its socket. Local use only.
#   SKIP_SYSTEM_PACKAGES=1              do not apt-get install (machine already prepared)
#   NO_SERVE=1                          set everything up but do not start the server
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_USER="${BENCH_USER:-frappe}"
FRAPPE_BENCH="${FRAPPE_BENCH:-/home/$BENCH_USER/frappe-bench}"
SITE="${SITE:-aftersales.localhost}"
PORT="${PORT:-8000}"
ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin}"
FRAPPE_PATH="${FRAPPE_PATH:-https://github.com/frappe/frappe}"
FRAPPE_BRANCH="${FRAPPE_BRANCH:-version-15}"
ERPNEXT_PATH="${ERPNEXT_PATH:-https://github.com/frappe/erpnext}"
ERPNEXT_BRANCH="${ERPNEXT_BRANCH:-version-15}"
PAYMENTS_PATH="${PAYMENTS_PATH:-https://github.com/frappe/payments}"
PAYMENTS_BRANCH="${PAYMENTS_BRANCH:-version-15}"
DB_ROOT_USER="${AFTERSALES_DB_ROOT_USER:-aftersales_root}"
DB_ROOT_PASSWORD="${AFTERSALES_DB_ROOT_PASSWORD:-aftersales_root}"

# shellcheck source=scripts/lib.sh
. "$REPO/scripts/lib.sh"

step() { printf '\n== %s\n' "$*"; }

# The Node.js bench needs: Frappe's package.json "engines" (">=18" on v15) once the bench exists,
# else Frappe v15's 18.
check_node_version() {
	local required=18 engines="$FRAPPE_BENCH/apps/frappe/package.json" major
	if [ -f "$engines" ]; then
		required="$(python3 -c 'import json, re, sys; e = json.load(open(sys.argv[1])).get("engines", {}).get("node", ""); m = re.search(r"\d+", e); print(m.group() if m else 18)' "$engines")"
	fi
	if ! command -v node >/dev/null; then
		echo "Node.js is not installed; Frappe needs Node.js $required or newer." >&2
		exit 1
	fi
	major="$(node --version | sed 's/^v\([0-9]*\).*/\1/')"
	if [ "$major" -lt "$required" ]; then
		echo "Node.js $major is too old: Frappe needs $required or newer (install it, e.g. from NodeSource, first)." >&2
		exit 1
	fi
	echo "Node.js $(node --version), npm $(npm --version 2>/dev/null || echo missing): Frappe needs Node.js $required+"
}

if [ "$(id -u)" != 0 ]; then
	echo "Run this as root (it installs system packages and creates the bench user)." >&2
	exit 1
fi

if [ "${SKIP_SYSTEM_PACKAGES:-}" != 1 ]; then
	step "System packages"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q git curl python3-dev python3-venv python3-pip pkg-config \
		mariadb-server mariadb-client libmariadb-dev redis-server cron xvfb fontconfig \
		libfontconfig1 xfonts-75dpi xfonts-base
	# Node.js: keep the one the machine has. NodeSource's `nodejs` package brings its own npm and
	# conflicts with Debian's `npm` package, so npm is installed only when there is none.
	command -v node >/dev/null || apt-get install -y -q nodejs
	if ! command -v npm >/dev/null; then
		if dpkg-query -W -f='${Version}' nodejs 2>/dev/null | grep -q nodesource; then
			echo "Node.js comes from NodeSource but npm is missing: reinstall NodeSource's nodejs package." >&2
			exit 1
		fi
		apt-get install -y -q npm
	fi
	apt-get install -y -q wkhtmltopdf || echo "wkhtmltopdf not available: PDF printing will not work"
	# Chinese in PDFs: wkhtmltopdf draws with the system's fonts, boxes without a CJK one
	apt-get install -y -q fonts-noto-cjk && fc-cache -f >/dev/null \
		|| echo "fonts-noto-cjk not available: Chinese will print as boxes in PDFs"
	# the portal's browser tests (scripts/test.sh): the system's Chromium, driven by Playwright for
	# Python, which is told where the browser is (nothing downloaded)
	apt-get install -y -q chromium || echo "chromium not available: the browser tests will be skipped"
	python3 -m pip install -q playwright 2>/dev/null || python3 -m pip install -q --break-system-packages playwright \
		|| echo "Playwright not installed: the browser tests will be skipped"
	check_node_version
	command -v yarn >/dev/null && yarn --version | grep -q '^1\.' || npm install -g yarn@1
fi

step "MariaDB (utf8mb4) and Redis"
if ! mysql -uroot -Nse "SELECT @@character_set_server" 2>/dev/null | grep -q utf8mb4; then
	cat >/etc/mysql/mariadb.conf.d/99-frappe.cnf <<'CNF'
[mysqld]
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci

[mysql]
default-character-set = utf8mb4
CNF
	systemctl restart mariadb 2>/dev/null || service mariadb restart
fi
mysql -uroot -e "SELECT 1" >/dev/null 2>&1 || { systemctl start mariadb 2>/dev/null || service mariadb start; }
ensure_db_admin

step "Bench user $BENCH_USER and bench CLI"
id "$BENCH_USER" >/dev/null 2>&1 || useradd -m -s /bin/bash "$BENCH_USER"
chmod 755 "$(getent passwd "$BENCH_USER" | cut -d: -f6)"
bench_user="$BENCH_USER"
as_user() { runuser -u "$BENCH_USER" -- env HOME="$(getent passwd "$BENCH_USER" | cut -d: -f6)" bash -c "export PATH=\"\$HOME/.local/bin:\$PATH\"; $1"; }
as_user '[ -x ~/.bench-cli/bin/bench ] || { python3 -m venv ~/.bench-cli && ~/.bench-cli/bin/pip install -q "setuptools<81" frappe-bench uv; }
	mkdir -p ~/.local/bin && ln -sf ~/.bench-cli/bin/bench ~/.local/bin/bench && ln -sf ~/.bench-cli/bin/uv ~/.local/bin/uv
	mkdir -p ~/.config/uv && { [ -f ~/.config/uv/uv.toml ] || printf "system-certs = true\nconstraint-dependencies = [\"setuptools<81\"]\n" > ~/.config/uv/uv.toml; }'

step "Bench at $FRAPPE_BENCH"
new_bench=0
if [ ! -d "$FRAPPE_BENCH/apps/frappe" ]; then
	as_user "bench init '$FRAPPE_BENCH' --frappe-path '$FRAPPE_PATH' --frappe-branch '$FRAPPE_BRANCH' --no-backups"
	as_user "cd '$FRAPPE_BENCH' && env/bin/python -m pip install -q 'setuptools<81'"
	new_bench=1
fi
# the Node.js version this Frappe asks for (its package.json engines)
check_node_version
# Frappe below MIN_FRAPPE runs SQL passed as group_by/order_by to its list endpoints (docs/security.md,
# pyproject.toml). The app refuses such clauses itself (aftersales/query_guard.py), but a new bench
# from Frappe's own repository must start on a fixed release. A bench made from a local clone
# (FRAPPE_PATH is a folder: a pinned mirror that cannot be updated) only warns, as does
# ALLOW_OLD_FRAPPE=1.
MIN_FRAPPE=15.86.0
frappe_version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$FRAPPE_BENCH/apps/frappe/frappe/__init__.py")"
if ! python3 -c 'import re, sys; v = lambda s: tuple(map(int, re.findall(r"\d+", s)[:3])); sys.exit(v(sys.argv[1]) < v(sys.argv[2]))' \
	"$frappe_version" "$MIN_FRAPPE"; then
	echo "Frappe $frappe_version is older than $MIN_FRAPPE, which the app requires (SQL through group_by)." >&2
	if [ "$new_bench" = 1 ] && [ "${ALLOW_OLD_FRAPPE:-}" != 1 ] && [ ! -d "$FRAPPE_PATH" ]; then
		echo "Point FRAPPE_PATH/FRAPPE_BRANCH at a newer version-15, or set ALLOW_OLD_FRAPPE=1." >&2
		exit 1
	fi
	echo "Continuing on the existing bench: the app's own guard refuses those clauses; update Frappe soon." >&2
fi
ensure_redis
[ -d "$FRAPPE_BENCH/apps/payments" ] || as_user "cd '$FRAPPE_BENCH' && bench get-app '$PAYMENTS_PATH' --branch '$PAYMENTS_BRANCH'"
[ -d "$FRAPPE_BENCH/apps/erpnext" ] || as_user "cd '$FRAPPE_BENCH' && bench get-app '$ERPNEXT_PATH' --branch '$ERPNEXT_BRANCH'"

step "This app: apps/aftersales -> $REPO"
if [ ! -e "$FRAPPE_BENCH/apps/aftersales" ]; then
	install -d -o "$BENCH_USER" "$REPO/aftersales.egg-info"  # the editable install writes here
	ln -s "$REPO" "$FRAPPE_BENCH/apps/aftersales"
	add_to_apps_txt
	editable_install
	as_user "cd '$FRAPPE_BENCH' && bench build --app aftersales"
fi
ensure_redis

step "Site $SITE"
if [ ! -f "$FRAPPE_BENCH/sites/$SITE/site_config.json" ]; then
	as_user "cd '$FRAPPE_BENCH' && bench new-site '$SITE' --db-root-username '$DB_ROOT_USER' \
		--db-root-password '$DB_ROOT_PASSWORD' --admin-password '$ADMIN_PASSWORD' \
		--install-app erpnext --install-app payments --install-app aftersales"
else
	as_user "cd '$FRAPPE_BENCH' && { bench --site '$SITE' list-apps | grep -q '^aftersales' || bench --site '$SITE' install-app aftersales; } && bench --site '$SITE' migrate"
fi
as_user "cd '$FRAPPE_BENCH' && bench use '$SITE' && bench --site '$SITE' enable-scheduler"

step "Demo data"
as_user "cd '$FRAPPE_BENCH' && bench --site '$SITE' execute aftersales.setup.demo.load >/dev/null"

if [ "${NO_SERVE:-}" = 1 ]; then
	step "Ready (not serving: NO_SERVE=1)"
	exit 0
fi

step "Server on 127.0.0.1:$PORT"
if port_open "$PORT"; then
	echo "something already listens on $PORT (an earlier run?): leaving it"
else
	as_user "cd '$FRAPPE_BENCH/sites' && nohup ../env/bin/python '$REPO/scripts/serve.py' --port '$PORT' --site '$SITE' \
		>'$FRAPPE_BENCH/logs/aftersales-serve.log' 2>&1 &
		cd '$FRAPPE_BENCH' && nohup bench worker >logs/aftersales-worker.log 2>&1 &
		cd '$FRAPPE_BENCH' && nohup bench schedule >logs/aftersales-schedule.log 2>&1 &"
	for _ in $(seq 30); do port_open "$PORT" && break; sleep 1; done
fi
cat <<DONE

After-sales is running:  http://$SITE:$PORT   (or http://127.0.0.1:$PORT, the bench's default site)
  Administrator / $ADMIN_PASSWORD
  demo staff: manager@aftersales.demo, desk@aftersales.demo, dispatcher@aftersales.demo,
              tech.east@aftersales.demo, inspector@aftersales.demo  (password aftersales-demo)
  customer portal: http://$SITE:$PORT/service-orders as zhang.wei@example.com or li.na@example.com
                   (password aftersales-demo); order lookup without login: /track-order
Logs: $FRAPPE_BENCH/logs/aftersales-*.log
DONE

# Shell helpers shared by scripts/setup.sh and scripts/test.sh (sourced, not run).
# Expects FRAPPE_BENCH and REPO to be set; sets bench_user through find_bench_user.

bench_user=""

find_bench_user() { bench_user="$(stat -c %U "$FRAPPE_BENCH")"; }

bench_user=""
as_bench() {
	# Run a command line in the bench directory as the bench's owner.
	local cmd="cd '$FRAPPE_BENCH' && export PATH=\"\$HOME/.local/bin:\$PATH\" && $1"
	if [ "$(id -un)" = "$bench_user" ]; then
		HOME="$(getent passwd "$bench_user" | cut -d: -f6)" bash -c "$cmd"
	else
		runuser -u "$bench_user" -- env -u PYTHONPATH HOME="$(getent passwd "$bench_user" | cut -d: -f6)" \
			CI="${CI:-}" bash -c "$cmd"
	fi
}

port_open() { timeout 2 bash -c "</dev/tcp/127.0.0.1/$1" 2>/dev/null; }

ensure_redis() {
	local conf port
	for conf in redis_cache redis_queue; do
		[ -f "$FRAPPE_BENCH/config/$conf.conf" ] || continue
		port="$(awk '/^port/ {print $2}' "$FRAPPE_BENCH/config/$conf.conf")"
		if ! port_open "$port"; then
			echo "starting the bench's $conf on port $port"
			as_bench "redis-server config/$conf.conf --daemonize yes >/dev/null"
			sleep 1
		elif command -v redis-cli >/dev/null \
			&& ! redis-cli -p "$port" config get dir 2>/dev/null | grep -qx "$FRAPPE_BENCH/config/pids"; then
			echo "note: the redis on port $port does not belong to $FRAPPE_BENCH (another bench's?); using it anyway"
		fi
	done
}

app_link="$FRAPPE_BENCH/apps/aftersales"
previous_target=""
staged=""

editable_install() {
	as_bench "if command -v uv >/dev/null; then uv pip install --quiet --python env/bin/python -e apps/aftersales; \
		else env/bin/python -m pip install --quiet -e apps/aftersales; fi"
}

use_this_checkout() {
	# Point the bench's apps/aftersales at this checkout. When the bench's owner cannot read the
	# checkout, or the checkout is not already the bench's app, stage a copy the owner owns.
	if [ -e "$app_link" ] && [ "$(readlink -f "$app_link")" = "$REPO" ]; then
		return 0
	fi
	if [ -L "$app_link" ]; then
		previous_target="$(readlink "$app_link")"
	elif [ -e "$app_link" ]; then
		echo "$app_link is a directory, not a link: refusing to replace it; test that copy with its own scripts/test.sh"
		return 1
	fi
	staged="$FRAPPE_BENCH/.aftersales-under-test"
	rm -rf "$staged" && mkdir -p "$staged"
	(cd "$REPO" && tar --exclude=.git --exclude='*.egg-info' --exclude=__pycache__ -cf - .) | (cd "$staged" && tar -xf -)
	chown -R "$bench_user": "$staged" 2>/dev/null || true
	ln -sfn "$staged" "$app_link"
	add_to_apps_txt
	editable_install
}

add_to_apps_txt() {
	local apps_txt="$FRAPPE_BENCH/sites/apps.txt"
	grep -qx aftersales "$apps_txt" && return 0
	[ -z "$(tail -c 1 "$apps_txt")" ] || echo >>"$apps_txt"  # the file may lack a final newline
	echo aftersales >>"$apps_txt"
}

restore_app_link() {
	if [ -n "$previous_target" ]; then
		ln -sfn "$previous_target" "$app_link"
		editable_install >/dev/null 2>&1 || echo "note: re-run 'uv pip install -e apps/aftersales' in the bench"
		rm -rf "$staged"
		echo "restored apps/aftersales -> $previous_target"
	fi
}

ensure_db_admin() {
	[ "$(id -u)" = 0 ] || return 0
	command -v mysql >/dev/null || return 0
	mysql -uroot -e "SELECT 1" >/dev/null 2>&1 || return 0
	mysql -uroot <<SQL
CREATE USER IF NOT EXISTS '$DB_ROOT_USER'@'localhost' IDENTIFIED BY '$DB_ROOT_PASSWORD';
CREATE USER IF NOT EXISTS '$DB_ROOT_USER'@'127.0.0.1' IDENTIFIED BY '$DB_ROOT_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$DB_ROOT_USER'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$DB_ROOT_USER'@'127.0.0.1' WITH GRANT OPTION;
SQL
}


# Drop the progress bars of bench new-site/migrate/install-app from a log (they redraw one line
# thousands of times); everything else passes.
without_progress() { tr '\r' '\n' | grep -vE '^(Updating DocTypes|Installing|Syncing|Updating customizations|Executing|Updating Dashboard|Compiling|Building)[^:]*: *\[' || true; }

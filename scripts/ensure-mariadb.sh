#!/bin/sh
# Tries to install mariadb-server so the MySQL-dialect tests can start a
# throwaway server of their own (internal/dbtest). MariaDB is optional: when
# it cannot be installed this script warns loudly and still exits 0, and the
# MySQL tests skip with the same warning. PostgreSQL and SQLite never skip.
set -u

have_mariadb() {
	command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || [ -x /usr/sbin/mysqld ]
}

warn() {
	echo "" >&2
	echo "######################################################################" >&2
	echo "# ensure-mariadb: $*" >&2
	echo "# The MySQL/MariaDB SQL tests will be SKIPPED on this machine." >&2
	echo "######################################################################" >&2
	echo "" >&2
}

if have_mariadb && command -v mariadb >/dev/null 2>&1; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	warn "mariadb-server is missing and this is not root; install it with: sudo apt-get install -y mariadb-server"
	exit 0
fi

echo "ensure-mariadb: installing mariadb-server (apt-get)…" >&2
export DEBIAN_FRONTEND=noninteractive
added_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
	# Keep apt from starting the packaged server: the tests run their own.
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	added_policy=1
fi
status=0
{ apt-get update -q && apt-get install -y -q --no-install-recommends mariadb-server mariadb-client; } || status=$?
if [ -n "$added_policy" ]; then
	rm -f /usr/sbin/policy-rc.d
fi

if [ "$status" -ne 0 ] || ! have_mariadb; then
	warn "apt-get could not install mariadb-server (exit $status)."
fi
exit 0

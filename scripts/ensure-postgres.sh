#!/bin/sh
# Makes sure Debian's postgresql-15 binaries (initdb, pg_ctl, postgres) are
# installed, so the SQL tests can start a throwaway server of their own
# (internal/dbtest). The tests never use a system cluster: their server
# listens on a Unix socket in a temp dir only, so nothing here needs to run.
set -eu

have_initdb() {
	dpkg -L postgresql-15 2>/dev/null | grep -q '/bin/initdb$'
}

if have_initdb; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "ensure-postgres: postgresql-15 is missing; run this script as root (or: sudo apt-get install -y postgresql-15)" >&2
	exit 1
fi

echo "ensure-postgres: installing postgresql-15 (apt-get)…" >&2
export DEBIAN_FRONTEND=noninteractive
with_services_off() {
	# Keep apt from starting the packaged cluster: the tests run their own
	# server and a stray one on port 5432 would only waste memory.
	if [ -e /usr/sbin/policy-rc.d ]; then
		"$@"
		return
	fi
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	status=0
	"$@" || status=$?
	rm -f /usr/sbin/policy-rc.d
	return $status
}
apt-get update -q
with_services_off apt-get install -y -q --no-install-recommends postgresql-15

if ! have_initdb; then
	echo "ensure-postgres: postgresql-15 installed but initdb was not found" >&2
	exit 1
fi

#!/bin/sh
# Makes sure the TypeScript compiler pinned in tools/ts/package-lock.json is
# installed in tools/ts/node_modules, where the TypeScript back end's tests
# (generator/typescript) look for it. Nothing is installed globally. Running
# it again when the pinned version is already there does nothing.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/tools/ts"
tsc="$dir/node_modules/.bin/tsc"

want=$(sed -n 's/^ *"typescript": "\([^"]*\)".*/\1/p' "$dir/package.json" | head -n 1)
if [ -x "$tsc" ] && [ "$("$tsc" --version 2>/dev/null)" = "Version $want" ]; then
	exit 0
fi

for tool in node npm; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "ensure-typescript: $tool is missing; install Node.js 20 or newer with npm (Debian: apt-get install -y nodejs npm)" >&2
		exit 1
	fi
done

echo "ensure-typescript: installing typescript $want into tools/ts (npm ci)…" >&2
# npm ci installs exactly what package-lock.json pins, including the
# compiler's native binary for this platform (an optional dependency).
npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >&2

if [ "$("$tsc" --version 2>/dev/null)" != "Version $want" ]; then
	echo "ensure-typescript: $tsc does not run or is not typescript $want" >&2
	exit 1
fi

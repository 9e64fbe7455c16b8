#!/usr/bin/env bash
# Install the Debian packages pgsim needs, if any are missing.
# Usage: scripts/deps.sh [extra-package ...]
set -euo pipefail
pkgs=(meson ninja-build pkg-config libyaml-dev libcmocka-dev check lcov gcovr gcc "$@")
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "pgsim: installing missing packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || { echo "pgsim: need root (or sudo) to install: ${missing[*]}" >&2; exit 2; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null

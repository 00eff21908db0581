#!/usr/bin/env bash
# Makes sure the C libraries and tools the build needs are present. On Debian/Ubuntu it installs
# missing packages when run as root and otherwise prints the exact command to run.
set -euo pipefail

packages=(libopenblas-dev zlib1g-dev libsqlite3-dev pkg-config python3 "$@")

if ! command -v dpkg-query >/dev/null 2>&1; then
  # Not a Debian system (e.g. macOS: Accelerate, zlib and SQLite ship with the OS).
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages. Install them with:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

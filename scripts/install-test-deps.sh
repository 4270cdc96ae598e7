#!/usr/bin/env bash
# Installs what the tests need on a Debian or Ubuntu machine, only where it
# is missing: qemu-user, binfmt-support, gdb-multiarch and the powerpc cross
# compiler. Then it mounts binfmt_misc and enables the qemu-ppc entry. Any
# change needs root or passwordless sudo, and each one is printed.
set -euo pipefail

packages=(qemu-user-static binfmt-support gdb-multiarch zlib1g-dev xz-utils
  gcc-powerpc-linux-gnu binutils-powerpc-linux-gnu libc6-dev-powerpc-cross
  dpkg-dev make)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    echo "install-test-deps: '$*' needs root; run as root or with passwordless sudo." >&2
    return 1
  fi
}

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-test-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
  echo 'install-test-deps: mounting binfmt_misc'
  as_root mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
fi
entry=/proc/sys/fs/binfmt_misc/qemu-ppc
if [ ! -e "$entry" ]; then
  echo 'install-test-deps: registering qemu-ppc'
  as_root update-binfmts --import qemu-ppc
fi
if [ -e "$entry" ] && ! head -n 1 "$entry" | grep -q enabled; then
  echo 'install-test-deps: enabling qemu-ppc'
  echo 1 | as_root tee "$entry" >/dev/null
fi

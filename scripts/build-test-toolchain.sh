#!/usr/bin/env bash
# Build a static musl cross toolchain for the tests and CI of rump-cross from
# Debian's cross gcc and Debian's musl source package, and pack it twice: like
# musl.cc (<triple>-cross.tgz) and like cross-tools/musl-cross
# (<vendor-triple>.tar.xz plus a .sha256 file).
#
# Usage: scripts/build-test-toolchain.sh <arch> <outdir>
#
# Runs on Debian (tested on Debian 12 with gcc 12 and musl 1.2.3). Installing
# packages and adding the deb-src entry need root. Results are cached under
# $RUMP_CROSS_TEST_CACHE (default <repo>/.cache/test-toolchains), so a second
# call only copies the cached archives into <outdir>.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/build-test-toolchain.sh <arch> <outdir>

Builds a static musl cross toolchain from Debian's cross gcc and Debian's
musl source package, and writes into <outdir>:
  <musl-triple>-cross.tgz          musl.cc layout, top folder <musl-triple>-cross/
  <vendor-triple>.tar.xz           cross-tools/musl-cross layout, top folder
                                   <vendor-triple>/, tools named <vendor-triple>-*
  <vendor-triple>.tar.xz.sha256    bare hex sha256 of the .tar.xz

<arch> is one of: powerpc armhf mips mipsel aarch64 i686 riscv64

Environment:
  RUMP_CROSS_TEST_CACHE   cache folder (default <repo>/.cache/test-toolchains)
EOF
}

if [[ $# -ne 2 || $1 == -h || $1 == --help ]]; then
  usage >&2
  exit 2
fi

arch=$1
out_dir=$2

# Per arch: gnu is Debian's cross triple and musl the triple as musl.cc
# spells it. debian_arch is the architecture in linux-libc-dev-<arch>-cross,
# and qemu the qemu-user target that runs the self-check program.
musl_cflags=
case $arch in
  powerpc)
    gnu=powerpc-linux-gnu musl=powerpc-linux-musl
    debian_arch=powerpc qemu=ppc
    # Debian's powerpc gcc defaults to the 128-bit IBM double-double long
    # double, which musl's configure rejects. libc and every program built
    # with the wrapper use the 64-bit long double instead.
    musl_cflags=-mlong-double-64
    ;;
  armhf)
    gnu=arm-linux-gnueabihf musl=arm-linux-musleabihf
    debian_arch=armhf qemu=arm
    ;;
  mips)
    gnu=mips-linux-gnu musl=mips-linux-musl debian_arch=mips qemu=mips
    ;;
  mipsel)
    gnu=mipsel-linux-gnu musl=mipsel-linux-musl
    debian_arch=mipsel qemu=mipsel
    ;;
  aarch64)
    gnu=aarch64-linux-gnu musl=aarch64-linux-musl
    debian_arch=arm64 qemu=aarch64
    ;;
  i686)
    gnu=i686-linux-gnu musl=i686-linux-musl debian_arch=i386 qemu=i386
    ;;
  riscv64)
    gnu=riscv64-linux-gnu musl=riscv64-linux-musl
    debian_arch=riscv64 qemu=riscv64
    ;;
  *)
    echo "error: unsupported arch '$arch'." \
      "Use one of: powerpc armhf mips mipsel aarch64 i686 riscv64" >&2
    exit 2
    ;;
esac

# cross-tools/musl-cross inserts the vendor field "unknown" after the CPU.
vendor=${musl%%-*}-unknown-${musl#*-}

script_path=$(readlink -f -- "${BASH_SOURCE[0]}")
repo_root=$(cd -- "$(dirname -- "$script_path")/.." && pwd -P)
cache_root=${RUMP_CROSS_TEST_CACHE:-$repo_root/.cache/test-toolchains}

# musl is configured for this prefix and installed under a staging folder.
# The prefix only appears in the generated musl-gcc.specs, where the assemble
# phase replaces it with the sysroot that the wrapper finds at run time.
musl_prefix=/opt/rump-cross-musl
binutils_tools=(ar as ld nm objcopy objdump ranlib readelf strip size strings
  c++filt addr2line)

mkdir -p -- "$cache_root" "$out_dir"
cache_root=$(cd -- "$cache_root" && pwd -P)
out_dir=$(cd -- "$out_dir" && pwd -P)
arch_cache=$cache_root/$arch
mkdir -p -- "$arch_cache"

# Runs that share a cache folder take turns, because apt-get and the shared
# musl source cannot be used by two runs at once. A caller that waited then
# finds the cache filled.
exec 9>>"$cache_root/.lock"
if ! flock -n 9; then
  echo "==> waiting for another build-test-toolchain.sh run ($cache_root/.lock)"
  flock 9
fi

current_phase=
phase_started=0

start_phase() {
  current_phase=$1
  phase_started=${EPOCHREALTIME/./}
  echo "==> $current_phase: $2"
}

end_phase() {
  local now=${EPOCHREALTIME/./}
  local elapsed_ms=$(((now - phase_started) / 1000))
  printf '    %s took %d.%01d s\n' "$current_phase" \
    $((elapsed_ms / 1000)) $((elapsed_ms % 1000 / 100))
}

report_failure() {
  local status=$?
  if [[ $status -ne 0 ]]; then
    echo "error: phase '${current_phase:-setup}' failed (exit status $status)" >&2
  fi
}
trap report_failure EXIT

# Runs a command with its output in a log file and prints the log's tail when
# the command fails.
run_logged() {
  local log=$1
  shift
  if ! "$@" >>"$log" 2>&1; then
    echo "error: command failed: $*" >&2
    echo "---- last 40 lines of $log ----" >&2
    tail -n 40 -- "$log" >&2
    return 1
  fi
}

require_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: $1 needs root. Run this script as root, or do it by hand:" >&2
    echo "  $2" >&2
    exit 1
  fi
}

os_codename() {
  # shellcheck source=/dev/null
  (. /etc/os-release && echo "${VERSION_CODENAME:-}")
}

os_id() {
  # shellcheck source=/dev/null
  (. /etc/os-release && echo "${ID:-}")
}

# musl is in Debian's main component and in Ubuntu's universe; each archive
# is signed with its own keyring.
if [[ $(os_id) == ubuntu ]]; then
  musl_component=universe
  archive_keyring=/usr/share/keyrings/ubuntu-archive-keyring.gpg
else
  musl_component=main
  archive_keyring=/usr/share/keyrings/debian-archive-keyring.gpg
fi

# $(SITE) is apt-get's own field syntax, not a shell expansion.
# shellcheck disable=SC2016
has_deb_src_entry() {
  [[ -n $(apt-get indextargets --format '$(SITE)' 'Created-By: Sources' \
    "Release: $1" "Component: $musl_component") ]]
}

# Prints the URI of the configured "deb" entry for <codename> main, so the
# deb-src entry points at the same mirror.
# shellcheck disable=SC2016
debian_mirror_uri() {
  apt-get indextargets --format '$(SITE)' 'Created-By: Packages' \
    "Release: $1" 'Component: main' | head -n 1
}

add_deb_src_entry() {
  local codename=$1 uri file=/etc/apt/sources.list.d/rump-cross-deb-src.sources
  uri=$(debian_mirror_uri "$codename")
  if [[ -z $uri ]]; then
    echo "error: no apt entry for '$codename' main found, so the deb-src" \
      "entry has no mirror to use. Configure the distribution's archive first." >&2
    exit 1
  fi
  require_root "adding a deb-src entry" "write $file"
  echo "    adding $file (deb-src $uri $codename $musl_component)"
  cat >"$file" <<EOF
Types: deb-src
URIs: $uri
Suites: $codename
Components: $musl_component
Signed-By: $archive_keyring
EOF
}

package_installed() {
  [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

# ---- phase: apt ------------------------------------------------------------

source_cache=$cache_root/source
source_name_file=$source_cache/current
source_name=
if [[ -f $source_name_file ]]; then
  source_name=$(cat -- "$source_name_file")
  [[ -d $source_cache/$source_name/unpacked ]] || source_name=
fi

start_phase apt "install the cross gcc, binutils and build tools"
packages=("gcc-$gnu" "binutils-$gnu" "linux-libc-dev-$debian_arch-cross"
  make dpkg-dev xz-utils gzip)
missing=()
for package in "${packages[@]}"; do
  package_installed "$package" || missing+=("$package")
done

# One apt-get update serves both the package install and the source download.
need_update=false
if [[ -z $source_name ]]; then
  codename=$(os_codename)
  if [[ -z $codename ]]; then
    echo "error: /etc/os-release has no VERSION_CODENAME, so the Debian suite" \
      "for the deb-src entry is unknown." >&2
    exit 1
  fi
  if ! has_deb_src_entry "$codename"; then
    add_deb_src_entry "$codename"
    need_update=true
  elif [[ -z $(apt-cache showsrc --only-source musl 2>/dev/null) ]]; then
    need_update=true
  fi
fi
if [[ ${#missing[@]} -gt 0 ]]; then
  need_update=true
fi
if [[ $need_update == true ]]; then
  require_root "apt-get update" "apt-get update"
  echo "    apt-get update"
  apt-get update -q
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  require_root "installing packages" \
    "apt-get install --no-install-recommends ${missing[*]}"
  echo "    apt-get install ${missing[*]}"
  # The lock timeout lets a run wait for another apt-get, for example one
  # started by a run with a different cache folder.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}"
else
  echo "    already installed: ${packages[*]}"
fi
gnu_gcc=/usr/bin/$gnu-gcc
gcc_version=$("$gnu_gcc" -dumpfullversion)
gcc_major=${gcc_version%%.*}
end_phase

# ---- phase: musl source ----------------------------------------------------

start_phase source "fetch and unpack Debian's musl source package"
mkdir -p -- "$source_cache"
if [[ -n $source_name ]]; then
  echo "    cached: $source_cache/$source_name"
else
  download_dir=$(mktemp -d "$source_cache/download.XXXXXX")
  # apt downloads as the user _apt, which needs a folder it can write.
  if [[ $(id -u) -eq 0 ]] && id _apt >/dev/null 2>&1; then
    chown _apt -- "$download_dir"
  fi
  echo "    apt-get source --download-only musl"
  env -C "$download_dir" apt-get source -q --download-only musl
  if [[ $(id -u) -eq 0 ]]; then
    chown -R 0:0 -- "$download_dir"
  fi
  dsc_files=("$download_dir"/musl_*.dsc)
  if [[ ${#dsc_files[@]} -ne 1 || ! -f ${dsc_files[0]} ]]; then
    echo "error: expected one musl_*.dsc in $download_dir" >&2
    exit 1
  fi
  source_name=$(basename -- "${dsc_files[0]}" .dsc)
  # apt-get source has checked the files against the signed Sources index.
  # dpkg-source warns that it cannot verify the .dsc signature unless the
  # debian-keyring package is installed, which this script does not need.
  echo "    dpkg-source -x $source_name.dsc"
  env -C "$download_dir" dpkg-source -x "$source_name.dsc" unpacked >/dev/null
  rm -rf -- "${source_cache:?}/$source_name"
  mv -- "$download_dir" "$source_cache/$source_name"
  echo "$source_name" >"$source_name_file.tmp"
  mv -- "$source_name_file.tmp" "$source_name_file"
fi
musl_source=$source_cache/$source_name/unpacked
# The Debian changelog date serves as the timestamp of every archive member,
# so repeated packing of the same inputs gives the same bytes.
archive_epoch=$(dpkg-parsechangelog -l "$musl_source/debian/changelog" -STimestamp)
end_phase

# ---- phase: musl build -----------------------------------------------------

stage=$arch_cache/musl-stage
configure_args=(--target="$gnu" CROSS_COMPILE="$gnu-" --disable-shared
  --enable-wrapper=gcc --prefix="$musl_prefix")
build_key="$source_name $gnu gcc-$gcc_version CFLAGS=$musl_cflags ${configure_args[*]}"

start_phase build "configure, build and install musl for $gnu"
if [[ -f $stage/.build-key && $(cat -- "$stage/.build-key") == "$build_key" ]]; then
  echo "    cached: $stage"
else
  build_dir=$arch_cache/musl-build
  build_log=$arch_cache/musl-build.log
  rm -rf -- "$build_dir" "$stage.tmp" "$stage"
  mkdir -p -- "$build_dir"
  : >"$build_log"
  echo "    configure ${configure_args[*]} CFLAGS=$musl_cflags (log: $build_log)"
  run_logged "$build_log" env -C "$build_dir" CFLAGS="$musl_cflags" \
    "$musl_source/configure" "${configure_args[@]}"
  echo "    make -j$(nproc)"
  run_logged "$build_log" make -C "$build_dir" -j"$(nproc)"
  run_logged "$build_log" make -C "$build_dir" install DESTDIR="$stage.tmp"
  echo "$build_key" >"$stage.tmp/.build-key"
  mv -- "$stage.tmp" "$stage"
  rm -rf -- "$build_dir"
fi
end_phase

# ---- phase: assemble -------------------------------------------------------

# Writes the relocatable gcc wrapper. The sysroot path is relative to the
# wrapper's own folder, so the toolchain works wherever it is extracted.
write_wrapper() {
  local wrapper=$1 sysroot_rel=$2 default_flags=$3
  cat >"$wrapper" <<EOF
#!/bin/sh
# C compiler for $musl, written by scripts/build-test-toolchain.sh
# of rump-cross. It runs Debian's $gnu-gcc $gcc_version with musl
# built from Debian's $source_name source package.
#
# The musl sysroot is found relative to this script at run time and handed to
# musl-gcc.specs through RUMP_CROSS_MUSL_SYSROOT, so the folder can be moved.
# Programs are linked statically unless -shared or -r is given, because this
# toolchain has no shared libc. -dumpmachine prints $gnu.
self=\$(readlink -f -- "\$0") || exit 1
sysroot=\$(cd -- "\${self%/*}/$sysroot_rel" && pwd -P) || {
  echo "\$0: musl sysroot not found at \${self%/*}/$sysroot_rel" >&2
  exit 1
}
if [ ! -x $gnu_gcc ]; then
  echo "\$0: $gnu_gcc not found." \\
    "Install Debian's package gcc-$gnu." >&2
  exit 1
fi
RUMP_CROSS_MUSL_SYSROOT=\$sysroot
export RUMP_CROSS_MUSL_SYSROOT
link_mode=-static
for arg in "\$@"; do
  case \$arg in
    -shared | -r | -static | -static-pie) link_mode= ;;
  esac
done
exec $gnu_gcc $default_flags -specs "\$sysroot/lib/musl-gcc.specs" "\$@" \$link_mode
EOF
  chmod 0755 -- "$wrapper"
}

# Fills <root>/bin with tools named <prefix>-* and <root>/<sysroot_rel> with
# musl and the Linux UAPI headers.
assemble_tree() {
  local root=$1 prefix=$2 sysroot_rel=$3
  local sysroot=$root/$sysroot_rel tool specs=$stage$musl_prefix/lib/musl-gcc.specs

  mkdir -p -- "$root/bin" "$sysroot"
  cp -a -- "$stage$musl_prefix/include" "$stage$musl_prefix/lib" "$sysroot/"

  # musl installs no kernel headers, while musl.cc and crosstool-ng sysroots
  # include them. Debian's cross package has the same UAPI headers, and
  # --skip-old-files keeps musl's headers where both have a file.
  dpkg -L "linux-libc-dev-$debian_arch-cross" |
    sed -n "s|^/usr/$gnu/include/||p" |
    while IFS= read -r header; do
      if [[ -f /usr/$gnu/include/$header ]]; then
        printf '%s\n' "$header"
      fi
    done |
    tar -C "/usr/$gnu/include" -cf - --files-from=- |
    tar -C "$sysroot/include" -xf - --skip-old-files

  # The generated specs name the install prefix. The gcc spec function
  # %:getenv(VAR SUFFIX) expands to the variable's value followed by SUFFIX at
  # run time. Its result always ends the argument, so the whole path goes into
  # SUFFIX, and "-L<dir>" becomes the two arguments "-L <dir>".
  sed -e "s|-L$musl_prefix/lib |-L %:getenv(RUMP_CROSS_MUSL_SYSROOT /lib) |g" \
    -e "s|$musl_prefix/\([^ }]*\)|%:getenv(RUMP_CROSS_MUSL_SYSROOT /\1)|g" \
    -- "$specs" >"$sysroot/lib/musl-gcc.specs"
  if grep -q -- "$musl_prefix" "$sysroot/lib/musl-gcc.specs"; then
    echo "error: $specs names $musl_prefix in an unexpected form" >&2
    return 1
  fi

  write_wrapper "$root/bin/$prefix-gcc" "../$sysroot_rel" "$musl_cflags"
  # Real toolchain archives contain hard links and relative and absolute
  # symbolic links, so this one does too.
  ln -- "$root/bin/$prefix-gcc" "$root/bin/$prefix-gcc-$gcc_major"
  ln -s -- "$prefix-gcc" "$root/bin/$prefix-cc"
  for tool in "${binutils_tools[@]}"; do
    if [[ ! -x /usr/bin/$gnu-$tool ]]; then
      echo "error: /usr/bin/$gnu-$tool not found (package binutils-$gnu)" >&2
      return 1
    fi
    ln -s -- "/usr/bin/$gnu-$tool" "$root/bin/$prefix-$tool"
  done
}

# Compiles, archives and links a small program with the tree's wrapper, checks
# that the result is static, and runs it under qemu-user when installed.
check_tree() {
  local root=$1 prefix=$2 work
  local cc=$root/bin/$prefix-cc
  work=$(mktemp -d "$arch_cache/check.XXXXXX")
  cat >"$work/main.c" <<'EOF'
#include <stdio.h>
const char *greeting(void);
int main(void) { puts(greeting()); return 0; }
EOF
  cat >"$work/greeting.c" <<'EOF'
const char *greeting(void) { return "hello from musl"; }
EOF
  "$cc" -g -O2 -c "$work/main.c" -o "$work/main.o"
  "$cc" -g -O2 -c "$work/greeting.c" -o "$work/greeting.o"
  "$root/bin/$prefix-ar" rcs "$work/libgreeting.a" "$work/greeting.o"
  "$cc" "$work/main.o" -L"$work" -lgreeting -o "$work/hello"
  if "$root/bin/$prefix-readelf" -l "$work/hello" | grep -q INTERP; then
    echo "error: $cc linked a dynamic program ($work/hello)" >&2
    return 1
  fi

  local emulator
  emulator=$(command -v "qemu-$qemu-static" || command -v "qemu-$qemu" || true)
  if [[ -z $emulator ]]; then
    echo "    $prefix: compiled and linked a static program" \
      "(qemu-$qemu not installed, so it was not run)"
  else
    local output
    output=$("$emulator" "$work/hello")
    if [[ $output != 'hello from musl' ]]; then
      echo "error: $work/hello printed '$output' under $emulator" >&2
      return 1
    fi
    echo "    $prefix: static program runs under $(basename -- "$emulator")"
  fi
  rm -rf -- "$work"
}

# Writes a gzip or xz tarball of <parent>/<top>. Fixed owner, order and
# timestamps make it depend on the file contents only.
pack_tree() {
  local parent=$1 top=$2 compressor=$3 archive=$4
  tar -C "$parent" --format=gnu --owner=0 --group=0 --numeric-owner \
    --sort=name --mtime="@$archive_epoch" --mode='u+rw,go-w,a+rX' \
    -cf - -- "$top" | $compressor >"$archive.tmp"
  mv -- "$archive.tmp" "$archive"
}

dist=$arch_cache/dist
tgz_name=$musl-cross.tgz
txz_name=$vendor.tar.xz
dist_key="$build_key script-$(sha256sum -- "$script_path" | cut -d' ' -f1)"

start_phase assemble "lay out and check the musl.cc and musl-cross trees"
if [[ -f $dist/.dist-key && $(cat -- "$dist/.dist-key") == "$dist_key" ]]; then
  echo "    cached: $dist"
  end_phase
else
  tree=$arch_cache/tree
  rm -rf -- "$tree" "$dist.tmp" "$dist"
  mkdir -p -- "$tree" "$dist.tmp"
  # musl.cc: sysroot <triple>-cross/<triple>/{include,lib}.
  assemble_tree "$tree/$musl-cross" "$musl" "$musl"
  # crosstool-ng, which cross-tools/musl-cross uses: <triple>/<triple>/sysroot/usr.
  assemble_tree "$tree/$vendor" "$vendor" "$vendor/sysroot/usr"
  check_tree "$tree/$musl-cross" "$musl"
  check_tree "$tree/$vendor" "$vendor"
  end_phase

  start_phase pack "write $tgz_name and $txz_name"
  pack_tree "$tree" "$musl-cross" 'gzip -n -9' "$dist.tmp/$tgz_name"
  pack_tree "$tree" "$vendor" 'xz -T1 -6' "$dist.tmp/$txz_name"
  sha256sum -- "$dist.tmp/$txz_name" | cut -d' ' -f1 >"$dist.tmp/$txz_name.sha256"
  echo "$dist_key" >"$dist.tmp/.dist-key"
  mv -- "$dist.tmp" "$dist"
  rm -rf -- "$tree"
  end_phase
fi

# ---- phase: output ---------------------------------------------------------

start_phase output "copy the archives into $out_dir"
for file in "$tgz_name" "$txz_name" "$txz_name.sha256"; do
  if ! cmp -s -- "$dist/$file" "$out_dir/$file"; then
    # Copy, then rename, so a reader never sees a half-written archive.
    cp -- "$dist/$file" "$out_dir/.$file.$$"
    mv -- "$out_dir/.$file.$$" "$out_dir/$file"
  fi
done
end_phase

for file in "$tgz_name" "$txz_name"; do
  printf '%s  %s  (%s bytes)\n' "$(sha256sum -- "$out_dir/$file" | cut -d' ' -f1)" \
    "$out_dir/$file" "$(stat -c %s -- "$out_dir/$file")"
done

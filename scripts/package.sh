#!/usr/bin/env bash
# Finetune Studio: build the Linux .deb and check it the way a user meets it.
#
#   scripts/package.sh
#
# 1. builds in Release (build/pkg) and runs `cpack -G DEB` (Depends from dpkg-shlibdeps);
# 2. checks the package's contents, validates the .desktop file
#    (desktop-file-validate) and the AppStream metainfo (appstreamcli validate --no-net);
# 3. installs the .deb with apt, runs the INSTALLED programs from /usr/bin
#    (finetune-studio --version offscreen, finetune-cli --version, finetune-cli demo)
#    and checks that the demo completed from the installed demo folder;
# 4. removes the package again, also when a step fails, so the machine is left clean.
#
# Debian 12 / Ubuntu, as root or with sudo; installs the tools it needs when missing.
# FTS_JOBS: parallel build jobs (default: all cores). FTS_PKG_BUILD: build folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${FTS_PKG_BUILD:-$ROOT/build/pkg}"
JOBS="${FTS_JOBS:-$(nproc 2>/dev/null || echo 2)}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

T0=$(date +%s)
step() { echo "== [$(($(date +%s) - T0)) s] $*"; }
fail() {
  echo "error: $*" >&2
  exit 1
}

# --- tools -------------------------------------------------------------------
# dpkg-dev: dpkg-shlibdeps; file: CPack finds the ELF files with it.
TOOLS=(cmake ninja-build dpkg-dev file desktop-file-utils appstream)
missing=()
for p in "${TOOLS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  step "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# --- build and package -------------------------------------------------------
step "configure (Release, no tests) in $BUILD"
mkdir -p "$BUILD"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFTS_BUILD_TESTS=OFF \
  -DFTS_BUILD_GUI=ON -DFTS_BUILD_CLI=ON >"$BUILD/configure.log" 2>&1 ||
  { cat "$BUILD/configure.log"; fail "configuring $BUILD failed (log above)"; }
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$BUILD/CMakeCache.txt")
[ -n "$VERSION" ] || fail "no project version in $BUILD/CMakeCache.txt"

step "build finetune-studio and finetune-cli $VERSION (-j $JOBS)"
cmake --build "$BUILD" -j "$JOBS"

step "cpack -G DEB"
rm -f "$BUILD"/finetune-studio_*.deb
(cd "$BUILD" && cpack -G DEB >"$BUILD/cpack.log" 2>&1) ||
  { cat "$BUILD/cpack.log"; fail "cpack failed (log above)"; }
debs=("$BUILD"/finetune-studio_"$VERSION"_*.deb)
DEB="${debs[0]}"
[ -f "$DEB" ] || fail "cpack wrote no finetune-studio_${VERSION}_*.deb into $BUILD (see $BUILD/cpack.log)"
echo "   $DEB ($(du -h "$DEB" | cut -f1))"
dpkg-deb --field "$DEB" Package Version Architecture Installed-Size Depends Recommends |
  sed 's/^/   /'
DEPENDS=$(dpkg-deb --field "$DEB" Depends)
for lib in libtorch libqt6widgets6 libqt6charts6 libopencv-imgcodecs; do
  grep -q "$lib" <<<"$DEPENDS" || fail "Depends has no $lib (dpkg-shlibdeps did not run?): $DEPENDS"
done

# --- contents and metadata ---------------------------------------------------
step "check the package's files and metadata"
X=$(mktemp -d)
RUNS=$(mktemp -d)
INSTALLED=0
cleanup() {
  if [ "$INSTALLED" = 1 ]; then
    echo "== removing the package again"
    $SUDO apt-get remove -y -qq finetune-studio >/dev/null || echo "warning: apt-get remove failed" >&2
  fi
  rm -rf "$X" "$RUNS"
}
trap cleanup EXIT

dpkg-deb -x "$DEB" "$X"
APP_ID=io.github.finetunestudio.FinetuneStudio
expected=(
  usr/bin/finetune-studio
  usr/bin/finetune-cli
  usr/share/finetune-studio/demo/classes.txt
  usr/share/finetune-studio/demo/backbone.safetensors
  usr/share/finetune-studio/demo/LICENSE-fashion-mnist.txt
  "usr/share/applications/$APP_ID.desktop"
  "usr/share/metainfo/$APP_ID.metainfo.xml"
  "usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
  usr/share/man/man1/finetune-cli.1.gz
  usr/share/man/man1/finetune-studio.1.gz
  usr/share/doc/finetune-studio/copyright
  usr/share/doc/finetune-studio/THIRD-PARTY-NOTICES.md
  usr/share/doc/finetune-studio/LICENSE
)
for size in 16 24 32 48 64 128 256; do
  expected+=("usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png")
done
for f in "${expected[@]}"; do
  [ -s "$X/$f" ] || fail "the package lacks /$f"
done
echo "   $(find "$X" -type f | wc -l) files, all ${#expected[@]} expected ones present"
desktop-file-validate "$X/usr/share/applications/$APP_ID.desktop" ||
  fail "desktop-file-validate rejected $APP_ID.desktop"
echo "   desktop-file-validate: ok"
appstreamcli validate --no-net "$X/usr/share/metainfo/$APP_ID.metainfo.xml" ||
  fail "appstreamcli rejected $APP_ID.metainfo.xml"
grep -q "release version=\"$VERSION\"" "$X/usr/share/metainfo/$APP_ID.metainfo.xml" ||
  fail "the metainfo has no <release> for $VERSION"
for page in finetune-cli finetune-studio; do
  gzip -t "$X/usr/share/man/man1/$page.1.gz" || fail "$page.1.gz is not a valid gzip file"
  zcat "$X/usr/share/man/man1/$page.1.gz" | grep -q "Finetune Studio $VERSION" ||
    fail "$page.1 does not name version $VERSION"
done
echo "   man pages: ok"

# --- install and run ---------------------------------------------------------
if dpkg-query -W -f='${Status}' finetune-studio 2>/dev/null | grep -q "install ok installed"; then
  fail "finetune-studio is already installed; remove it first (apt-get remove finetune-studio)"
fi
step "apt-get install $DEB"
INSTALLED=1
$SUDO apt-get install -y -qq --no-install-recommends "$DEB" >"$BUILD/apt-install.log" 2>&1 ||
  { cat "$BUILD/apt-install.log"; fail "apt-get install failed (log above)"; }

step "run the installed programs"
[ "$(command -v finetune-studio)" = /usr/bin/finetune-studio ] ||
  fail "finetune-studio on PATH is $(command -v finetune-studio), not /usr/bin's"
GUI_VERSION=$(QT_QPA_PLATFORM=offscreen /usr/bin/finetune-studio --version 2>/dev/null)
echo "   $GUI_VERSION"
grep -q "$VERSION" <<<"$GUI_VERSION" || fail "finetune-studio --version printed '$GUI_VERSION'"
CLI_VERSION=$(/usr/bin/finetune-cli --version)
echo "   $CLI_VERSION"
grep -q "$VERSION" <<<"$CLI_VERSION" || fail "finetune-cli --version printed '$CLI_VERSION'"

RUN="$RUNS/run"
# FTS_DEMO_DIR unset: the installed program must find /usr/share/finetune-studio/demo.
env -u FTS_DEMO_DIR /usr/bin/finetune-cli demo --out "$RUN" >"$RUNS/demo.log" 2>&1 ||
  { tail -n 20 "$RUNS/demo.log"; fail "finetune-cli demo failed (log above)"; }
python3 - "$RUN" <<'EOF' || fail "the demo run in $RUN is not as expected"
import json, sys
run = sys.argv[1]
summary = json.load(open(f"{run}/summary.json"))
config = json.load(open(f"{run}/config.json"))
data = config["data"]["path"]
print(f"   demo: status {summary['status']}, {summary['epochs_completed']} epochs, "
      f"best validation accuracy {summary['best_val_accuracy']:.3f}, {summary['wall_seconds']:.1f} s")
print(f"   demo data: {data}")
assert summary["status"] == "completed", summary.get("error")
assert data.startswith("/usr/share/finetune-studio/demo/"), f"demo read from {data}"
EOF

# The desktop app on the installed demo, one epoch, without a display.
QT_QPA_PLATFORM=offscreen XDG_CONFIG_HOME="$RUNS/config" XDG_DATA_HOME="$RUNS/data" \
  env -u FTS_DEMO_DIR /usr/bin/finetune-studio --demo --quit-when-done --epochs 1 \
  >"$RUNS/gui.log" 2>&1 || { tail -n 20 "$RUNS/gui.log"; fail "the installed finetune-studio could not train the demo"; }
echo "   finetune-studio --demo: $(grep -m1 '^completed' "$RUNS/gui.log" || tail -n 1 "$RUNS/gui.log")"

step "remove the package"
$SUDO apt-get remove -y -qq finetune-studio >/dev/null
INSTALLED=0
dpkg-query -W -f='${Status}' finetune-studio 2>/dev/null | grep -q "install ok installed" &&
  fail "finetune-studio is still installed"
[ ! -e /usr/bin/finetune-cli ] || fail "/usr/bin/finetune-cli is still there after removal"

T1=$(date +%s)
echo "== package.sh: all checks passed in $((T1 - T0)) s: $(basename "$DEB")"

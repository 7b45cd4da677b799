#!/usr/bin/env bash
# Install the Debian packages bulletin needs to build and test.
# Safe to run repeatedly: it installs only what is missing.
#   --with-test   also the packages the tests need
#   --check       install nothing: say whether this machine (e.g. a Debian-based UOS or Kylin) has a new
#                 enough Python and Pango and which packages its apt sources lack; exit 1 if any
set -euo pipefail

PYTHON_MIN=3.11   # pyproject.toml: requires-python
PANGO_MIN=1.44    # WeasyPrint 70 needs Pango >= 1.44

RUNTIME_PKGS=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint; hb-subset makes CJK font subsetting fast
  fontconfig                                             # fc-list: print.fonts is checked against it
  fonts-noto-cjk                                         # Noto Serif/Sans CJK SC: body and headings
  fonts-arphic-gkai00mp                                  # AR PL KaitiM GB: the Kai face after FandolKai
  fonts-lxgw-wenkai                                      # LXGW WenKai: poems and the epigraph
  libgs-common                                           # Ghostscript's CMYK ICC profile: the fallback OutputIntent
  icc-profiles-free argyll                               # FOGRA39L measurements + colprof: the FOGRA39 profile below
  python3-venv
)
TEST_PKGS=(
  poppler-utils   # pdftoppm / pdffonts, to look at PDFs
  chromium        # browser tests of the site
  firefox-esr     # the search tests in Firefox too (driven over Marionette, tests/browsing.py)
  libatomic1      # Playwright's bundled node driver links it (a minimal Debian 12 lacks it)
)

want=("${RUNTIME_PKGS[@]}")
if [ "${1:-}" = "--with-test" ] || [ "${2:-}" = "--with-test" ]; then
  want+=("${TEST_PKGS[@]}")
  # npm (it brings nodejs) installs axe-core for the accessibility tests (Makefile: deps-test). Only when
  # there is no npm yet: a nodejs from elsewhere (NodeSource) ships its own npm and conflicts with Debian's.
  command -v npm >/dev/null || want+=(npm)
fi

# --check: what this machine has and lacks, installing nothing (no root needed)
check() {
  local bad=0 v cand p
  echo "System: $(. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-?}") (Debian base: $(cat /etc/debian_version 2>/dev/null || echo '?'))"
  v=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none)
  if [ "$v" != none ] && dpkg --compare-versions "$v" ge "$PYTHON_MIN"; then
    echo "ok       python3 $v (needs >= $PYTHON_MIN)"
  else
    echo "TOO OLD  python3 $v (needs >= $PYTHON_MIN)"; bad=1
  fi
  v=$(dpkg-query -W -f='${Version}' libpango-1.0-0 2>/dev/null || true)
  [ -n "$v" ] || v=$(apt-cache policy libpango-1.0-0 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -n "$v" ] && [ "$v" != "(none)" ] && dpkg --compare-versions "$v" ge "$PANGO_MIN"; then
    echo "ok       Pango $v (needs >= $PANGO_MIN)"
  else
    echo "TOO OLD  Pango ${v:-none} (needs >= $PANGO_MIN)"; bad=1
  fi
  for p in "${want[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      echo "ok       $p (installed)"
      continue
    fi
    cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
    if [ -n "$cand" ] && [ "$cand" != "(none)" ]; then
      echo "ok       $p $cand (can be installed)"
    else
      echo "MISSING  $p (not in this machine's apt sources; after apt-get update?)"; bad=1
    fi
  done
  if [ $bad -eq 0 ]; then
    echo "This machine can run bulletin: make build"
  else
    echo "This machine lacks what is marked above: see \"安装\" in docs/editor-guide.md"
  fi
  return $bad
}
if [ "${1:-}" = "--check" ] || [ "${2:-}" = "--check" ]; then
  check
  exit $?
fi

# FandolKai / FandolFang: a formal 楷体 and the only free 仿宋 in Debian with all of GB 2312 (docs/print.md).
# They ship in texlive-lang-chinese, whose dependencies (TeX Live's base, format building) cost minutes
# and 250 MB: the .deb is downloaded (49 MB) and only the two faces are taken out of it.
FANDOL_DEB=texlive-lang-chinese
FANDOL_DIR=/usr/local/share/fonts/bulletin-fandol
FANDOL_FILES=(FandolKai-Regular.otf FandolFang-Regular.otf)
OLD_FANDOL_CONF=/etc/fonts/conf.d/09-bulletin-fandol.conf   # written by earlier versions of this script
# The PDF/X-4 output profile: FOGRA39 (ISO 12647-2 coated offset), built from FOGRA's measurement data
# (FOGRA39L.ti3, icc-profiles-free, Zlib licence) with ArgyllCMS: total ink 330 %, black ramp. Its header
# date is fixed so that every machine makes the same bytes (and so the same PDFs).
ICC_DIR=/usr/local/share/color/icc/bulletin
ICC_FILE=$ICC_DIR/FOGRA39L-bulletin.icc

install_fandol() {
  local f have=1
  for f in "${FANDOL_FILES[@]}"; do [ -f "$FANDOL_DIR/$f" ] || have=0; done
  if [ -f "$OLD_FANDOL_CONF" ] && grep -q "install-debian-deps.sh" "$OLD_FANDOL_CONF"; then
    $SUDO rm -f "$OLD_FANDOL_CONF"   # the faces now come from $FANDOL_DIR alone (no face listed twice)
    have=0                             # refresh fontconfig's cache below
  fi
  [ "$have" = 1 ] && return 0
  echo "Taking FandolKai and FandolFang out of $FANDOL_DEB into $FANDOL_DIR"
  local tmp
  tmp=$(mktemp -d)
  chmod 755 "$tmp"   # apt's download user must be able to write here
  if ! (cd "$tmp" && apt-get download -qq "$FANDOL_DEB" >/dev/null 2>&1); then
    $SUDO apt-get update -qq
    (cd "$tmp" && apt-get download -qq "$FANDOL_DEB" >/dev/null 2>&1) || {
      echo "Could not download $FANDOL_DEB: the Kai and FangSong faces fall back to AR PL KaitiM GB and Noto Serif" >&2
      rm -rf "$tmp"; return 0; }
  fi
  dpkg-deb -x "$tmp"/"$FANDOL_DEB"_*.deb "$tmp/x"
  $SUDO mkdir -p "$FANDOL_DIR"
  for f in "${FANDOL_FILES[@]}"; do
    $SUDO install -m 0644 "$tmp/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/$f" "$FANDOL_DIR/$f"
  done
  $SUDO install -m 0644 "$tmp/x/usr/share/doc/texlive-doc/fonts/fandol/COPYING.gz" "$FANDOL_DIR/COPYING.gz"
  rm -rf "$tmp"
  $SUDO fc-cache -f >/dev/null 2>&1 || true
}

finish() {
  install_fandol
  if [ ! -f "$ICC_FILE" ] && command -v colprof >/dev/null && [ -f /usr/share/color/icc/FOGRA39L.ti3 ]; then
    echo "Making the FOGRA39 output profile $ICC_FILE (about 20 s)"
    tmp=$(mktemp -d)
    cp /usr/share/color/icc/FOGRA39L.ti3 "$tmp/"
    (cd "$tmp" && colprof -qm -kr -l330 -L98 \
      -D "FOGRA39L coated (bulletin, ArgyllCMS)" \
      -C "Made with ArgyllCMS colprof from FOGRA39L.ti3 (icc-profiles-free, Zlib)" FOGRA39L >/dev/null)
    # ICC header bytes 24-35 hold the creation date and time: 2006-12-01 00:00:00, the data's own date
    printf '\007\326\000\014\000\001\000\000\000\000\000\000' |
      dd of="$tmp/FOGRA39L.icc" bs=1 seek=24 conv=notrunc status=none
    $SUDO mkdir -p "$ICC_DIR"
    $SUDO install -m 0644 "$tmp/FOGRA39L.icc" "$ICC_FILE"
    rm -rf "$tmp"
  fi
}

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi

if [ ${#missing[@]} -eq 0 ]; then
  finish
  exit 0
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
finish

#!/usr/bin/env bash
# Install the Debian packages bulletin needs to build and test.
# Safe to run repeatedly: it installs only what is missing.
set -euo pipefail

RUNTIME_PKGS=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint; hb-subset makes CJK font subsetting fast
  fontconfig                                             # fc-list: print.fonts is checked against it
  fonts-noto-cjk                                         # Noto Serif/Sans CJK SC: body and headings
  texlive-lang-chinese                                   # FandolKai / FandolFang: formal 楷体 and 仿宋, all of GB 2312
                                                         # (the only free 仿宋 in Debian that has it; docs/print.md)
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
)

want=("${RUNTIME_PKGS[@]}")
if [ "${1:-}" = "--with-test" ]; then
  want+=("${TEST_PKGS[@]}")
fi

# The Fandol faces sit in TeX Live's tree, which fontconfig does not search: tell it where they are.
FANDOL_DIR=/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
FANDOL_CONF=/etc/fonts/conf.d/09-bulletin-fandol.conf
# The PDF/X-4 output profile: FOGRA39 (ISO 12647-2 coated offset), built from FOGRA's measurement data
# (FOGRA39L.ti3, icc-profiles-free, Zlib licence) with ArgyllCMS: total ink 330 %, black ramp. Its header
# date is fixed so that every machine makes the same bytes (and so the same PDFs).
ICC_DIR=/usr/local/share/color/icc/bulletin
ICC_FILE=$ICC_DIR/FOGRA39L-bulletin.icc

finish() {
  if [ -d "$FANDOL_DIR" ] && [ ! -f "$FANDOL_CONF" ]; then
    printf '%s\n' '<?xml version="1.0"?>' \
      '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">' \
      "<!-- Written by bulletin's scripts/install-debian-deps.sh: the Fandol faces of texlive-lang-chinese" \
      '     (FandolKai, FandolFang: all of GB 2312) for fontconfig, so that WeasyPrint finds them. -->' \
      "<fontconfig><dir>$FANDOL_DIR</dir></fontconfig>" | $SUDO tee "$FANDOL_CONF" >/dev/null
    $SUDO fc-cache -f >/dev/null 2>&1 || true
  fi
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

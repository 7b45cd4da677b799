#!/usr/bin/env bash
# Install the Debian packages bulletin needs to build and test.
# Safe to run repeatedly: it installs only what is missing.
set -euo pipefail

RUNTIME_PKGS=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint; hb-subset makes CJK font subsetting fast
  fonts-noto-cjk                                         # Noto Serif/Sans CJK SC: body and headings
  fonts-lxgw-wenkai                                      # a Kai face for bylines and sources
  libgs-common                                           # Ghostscript's free CMYK ICC profile: the PDF/X-4 OutputIntent
                                                         # (colord-data on Debian 12 ships RGB profiles only)
  python3-venv
)
TEST_PKGS=(
  poppler-utils   # pdftoppm / pdffonts, to look at PDFs
  chromium        # browser tests of the site
)

want=("${RUNTIME_PKGS[@]}")
if [ "${1:-}" = "--with-test" ]; then
  want+=("${TEST_PKGS[@]}")
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

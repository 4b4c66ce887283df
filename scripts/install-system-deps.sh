#!/usr/bin/env bash
# Installs the Debian packages masa needs, only when one is missing.
#   chromium           browser tests (Playwright drives it; we never download a browser)
#   poppler-utils      pdftotext/pdftoppm for PDF tests and the PDF reader
#   libharfbuzz-subset0, libpango*  WeasyPrint's font subsetting and layout
#   hunspell-en-gb     the offline British English dictionary for spelling checks
#   fonts-dejavu-core  a font with wide coverage for PDF output
#   wrk                the C load generator the web benchmark (bench/web_load.py, P3) drives
set -euo pipefail
pkgs=(chromium poppler-utils libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 hunspell-en-gb fonts-dejavu-core wrk)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"

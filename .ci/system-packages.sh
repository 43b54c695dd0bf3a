#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the app and its tests need, when they are missing.
# As root (or with password-less sudo) it installs them; otherwise it prints the command and stops,
# so `make run` never half-works on a machine without WeasyPrint's libraries or the Thai fonts.
set -euo pipefail

packages=(
  python3-venv python3-dev build-essential gettext
  # WeasyPrint: Pango with libthai line breaking; harfbuzz-subset avoids an import warning.
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libjpeg62-turbo-dev
  # A Thai fallback font (Laksaman) beside the bundled Sarabun.
  fonts-thai-tlwg
  # Browser journeys (Playwright drives Debian's Chromium) and looking at PDFs.
  chromium poppler-utils
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: install the equivalents of: ${packages[*]}" >&2
  exit 0
fi

# Ubuntu names the JPEG development package differently; take whichever the archive has.
if ! apt-cache show libjpeg62-turbo-dev >/dev/null 2>&1; then
  packages=("${packages[@]/libjpeg62-turbo-dev/libjpeg-turbo8-dev}")
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "These system packages are missing; install them, then run make again:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Debian packages the product needs: fonts embedded in the PDFs (DejaVu for text,
# Symbola for emoji, WenQuanYi Zen Hei for Chinese/Japanese/Korean) and Pango for the
# WeasyPrint comparison in benchmarks/. Installed only when missing.
set -euo pipefail
need=()
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
ls /usr/share/fonts/truetype/ancient-scripts/Symbola*.ttf >/dev/null 2>&1 || need+=(fonts-symbola)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
echo "installed: ${need[*]}"

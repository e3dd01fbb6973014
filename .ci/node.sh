#!/usr/bin/env bash
# Debian's Node.js and npm, for axe-core (tests/browser/package.json) and the test OpenID provider
# (tests/oidc/package.json). Only when missing.
set -euo pipefail
if command -v npm >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
npm --version

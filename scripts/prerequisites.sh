# Sourced by run.sh and test.sh: installs the Debian packages a command needs when they are
# missing, so that on a fresh Debian machine with the .NET SDK the two README commands are all
# there is to run. Elsewhere, or without root or sudo, it says what to install and stops.

# require_packages PACKAGE:CHECK… — CHECK is a command that succeeds when PACKAGE is present.
require_packages() {
  local missing=() entry
  for entry in "$@"; do
    eval "${entry#*:}" >/dev/null 2>&1 || missing+=("${entry%%:*}")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      echo "Missing: ${missing[*]}. Install them (Debian: apt-get install ${missing[*]}) and run this again." >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null; then
    echo "Missing: ${missing[*]}. Install them with your package manager and run this again." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} (apt-get)" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

NODE="nodejs:command -v node"
NPM="npm:command -v npm"
POSTGRESQL="postgresql:command -v initdb || ls /usr/lib/postgresql/*/bin/initdb"
REDIS="redis-server:command -v redis-server"

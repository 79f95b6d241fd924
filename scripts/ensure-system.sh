#!/usr/bin/env bash
# Makes sure what Shipshape's helper and test suites need from the system is present:
# Node 20+, pnpm 10 (through npx), a running Docker Engine, and (for tests) Chromium.
# Installs Debian packages only when run as root and something is missing.
# Usage: scripts/ensure-system.sh [--for-tests]
set -euo pipefail
for_tests=0
[ "${1:-}" = "--for-tests" ] && for_tests=1

log() { printf '[shipshape] %s\n' "$*" >&2; }

need_pkgs=()
command -v docker >/dev/null 2>&1 || need_pkgs+=(docker.io)
if [ "$for_tests" = 1 ]; then
  [ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
  command -v mmdebstrap >/dev/null 2>&1 || need_pkgs+=(mmdebstrap)
  command -v rpm >/dev/null 2>&1 || need_pkgs+=(rpm)
  command -v go >/dev/null 2>&1 || need_pkgs+=(golang-go)
  command -v clamd >/dev/null 2>&1 || need_pkgs+=(clamav-daemon clamav)
  command -v zstd >/dev/null 2>&1 || need_pkgs+=(zstd)
  # Engines suites: TLS certificates for a tcp:// engine, and an sshd in front of an ssh:// one.
  command -v openssl >/dev/null 2>&1 || need_pkgs+=(openssl)
  [ -x /usr/sbin/sshd ] || need_pkgs+=(openssh-server)
  command -v ssh-keygen >/dev/null 2>&1 || need_pkgs+=(openssh-client)
fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian packages: ${need_pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" ca-certificates >/dev/null
  else
    log "missing: ${need_pkgs[*]}. Install them (e.g. 'sudo apt-get install ${need_pkgs[*]}') and run again."
    exit 1
  fi
fi

# A Docker Engine that answers. DOCKER_HOST is honoured when set.
if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    log "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine and run again."
    exit 1
  fi
  if [ "$(id -u)" = 0 ] && command -v dockerd >/dev/null 2>&1; then
    log "starting dockerd (log: /var/log/shipshape-dockerd.log)"
    # These VMs allow no iptables or bridge: containers get no network, builds use --network host.
    nohup dockerd --iptables=false --ip-masq=false --bridge=none >/var/log/shipshape-dockerd.log 2>&1 &
    for _ in $(seq 1 60); do
      docker version >/dev/null 2>&1 && break
      sleep 1
    done
  fi
  if ! docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then
    log "no Docker Engine answers. Start it ('sudo systemctl start docker' or 'sudo dockerd &') and run again."
    exit 1
  fi
fi
log "Docker Engine $(docker version --format '{{.Server.Version}}') is up"

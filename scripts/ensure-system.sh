#!/usr/bin/env bash
# Makes sure this machine has what Shipshape needs, and says exactly what to do when it cannot:
# - Node.js 20+ (npm runs this script, so Node is there; its version may not be);
# - a Docker Engine that answers (DOCKER_HOST, default /var/run/docker.sock). Having the `docker`
#   command is not enough: it may be a client with no daemon behind it. When none answers:
#     as root: installs the daemon if there is no `dockerd` (docker.io from Debian, even where a
#       `docker` CLI alone is present; docker-ce where Docker's own docker-ce-cli is installed),
#       then starts it: through systemd where systemd runs, else `dockerd` detached in a session of
#       its own (setsid) with its own log and pid file, so that stopping Shipshape (Ctrl-C in
#       `npm start`) never stops Docker;
#     as another user: prints the command to run as root, and whether being in the `docker` group
#       is enough (it is, once a daemon runs: Shipshape itself needs no root);
# - with --for-tests: the `docker` CLI, Chromium and the tools the test suites use (root installs).
# Usage: scripts/ensure-system.sh [--for-tests]
set -euo pipefail
for_tests=0
[ "${1:-}" = "--for-tests" ] && for_tests=1

here=$(cd "$(dirname "$0")" && pwd)
DOCKERD_LOG=/var/log/shipshape-dockerd.log
DOCKERD_PIDFILE=/run/shipshape-dockerd.pid
# Flags for a dockerd we start ourselves: Shipshape reads images and needs no container networking,
# and many VMs and containers allow no iptables or bridge (builds then use --network host).
DOCKERD_FLAGS=(--iptables=false --ip-masq=false --bridge=none)

log() { printf '[shipshape] %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" = 0 ]; }
# Outside root's PATH /usr/sbin is often missing, and that is where dockerd lives.
find_dockerd() { PATH="$PATH:/usr/sbin:/usr/local/sbin:/sbin" command -v dockerd 2>/dev/null || true; }
in_docker_group() { id -nG 2>/dev/null | tr ' ' '\n' | grep -qx docker; }
user_name() { id -un 2>/dev/null || echo "$USER"; }

# apt_install [--no-install-recommends] PACKAGE...
apt_install() {
  local options=()
  [ "$1" = --no-install-recommends ] && { options+=("$1"); shift; }
  log "installing Debian packages: $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${options[@]}" "$@" ca-certificates >/dev/null
}

# Node.js 20+
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  log "Shipshape needs Node.js 20 or newer (found: $(node --version 2>/dev/null || echo none)). Install it (e.g. from https://nodejs.org) and run again."
  exit 1
fi

# Debian packages the test suites need (root installs them; others are told which).
if [ "$for_tests" = 1 ]; then
  need_pkgs=()
  command -v docker >/dev/null 2>&1 || need_pkgs+=(docker.io)
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
  # libfaketime: the risk-over-time e2e suite runs the helper on past days.
  command -v faketime >/dev/null 2>&1 || need_pkgs+=(faketime)
  if [ "${#need_pkgs[@]}" -gt 0 ]; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
      apt_install "${need_pkgs[@]}"
    else
      log "missing: ${need_pkgs[*]}. Install them ('sudo apt-get install ${need_pkgs[*]}') and run again."
      exit 1
    fi
  fi
fi

# A Docker Engine that answers.
engine_version() { node "$here/docker-ping.mjs"; }
if version=$(engine_version); then
  log "Docker Engine $version is up"
  exit 0
else
  ping_status=$?
fi
why=$version

if [ -n "${DOCKER_HOST:-}" ]; then
  log "DOCKER_HOST=$DOCKER_HOST does not answer ($why): start that engine, or unset DOCKER_HOST to use the local one, and run again."
  exit 1
fi

if ! is_root; then
  me=$(user_name)
  if [ "$ping_status" = 3 ]; then
    # A daemon runs, and its socket is not open to this user. The docker group helps only if
    # the socket belongs to it (a dockerd started before the group existed gives it to root).
    socket=/var/run/docker.sock
    socket_group=$(stat -c %G "$socket" 2>/dev/null || echo unknown)
    if [ "$socket_group" != docker ]; then
      log "Docker answers, but only to root: $socket belongs to group '$socket_group', so the docker group is not enough yet. As root: 'sudo chgrp docker $socket && sudo chmod g+rw $socket' (or restart dockerd, which gives it to the docker group), then 'sudo usermod -aG docker $me', log out and in again, and run again."
    elif in_docker_group; then
      log "Docker answers, but not to this session: you are in the docker group, and this login predates it. Log out and in again (or run 'newgrp docker'), then run again."
    else
      log "Docker answers, but only to root and the docker group ($why). Being in the docker group is enough: run 'sudo usermod -aG docker $me', log out and in again (or 'newgrp docker'), then run again. Shipshape needs no root after that (note: the docker group is root-equivalent on this machine)."
    fi
    exit 1
  fi
  if [ -z "$(find_dockerd)" ]; then
    what="Docker's daemon is not installed (the 'docker' command alone is a client)"
  else
    what="Docker's daemon is installed but not running"
  fi
  log "$what. Run once, as root: 'sudo bash $here/ensure-system.sh' (it installs Docker if needed and starts it, detached from Shipshape). Then, to use Shipshape without root, being in the docker group is enough: 'sudo usermod -aG docker $me' and log in again."
  exit 1
fi

# Root: install the daemon when there is none.
if [ -z "$(find_dockerd)" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    log "no Docker daemon (dockerd) is installed and this is not a Debian-like system: install Docker Engine (https://docs.docker.com/engine/install/) and run again."
    exit 1
  fi
  daemon_pkgs=(docker.io)
  # Debian's docker.io conflicts with Docker's own CLI package: complete that install instead.
  if dpkg-query -W -f='${Status}' docker-ce-cli 2>/dev/null | grep -q 'install ok installed'; then daemon_pkgs=(docker-ce); fi
  # The daemon and what it needs, without the recommended extras (git, perl…: ~100 packages more);
  # AppArmor's parser only where the kernel enforces AppArmor (dockerd needs it there).
  [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && daemon_pkgs+=(apparmor)
  apt_install --no-install-recommends "${daemon_pkgs[@]}"
fi

wait_for_engine() {
  for _ in $(seq 1 60); do
    version=$(engine_version) && return 0
    sleep 1
  done
  return 1
}

# Root: start the daemon. Through systemd where it runs (the package's service), else detached.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  log "starting Docker: systemctl start docker"
  systemctl start docker || true
fi
if ! version=$(engine_version); then
  dockerd=$(find_dockerd)
  log "starting $dockerd in its own session (log: $DOCKERD_LOG, pid file: $DOCKERD_PIDFILE)"
  # setsid: its own session and process group, so the terminal's Ctrl-C (SIGINT to npm's process
  # group) and hang-up never reach it; no stdin, output to its own log.
  setsid "$dockerd" "${DOCKERD_FLAGS[@]}" --pidfile "$DOCKERD_PIDFILE" </dev/null >>"$DOCKERD_LOG" 2>&1 &
  if ! wait_for_engine; then
    log "dockerd did not answer within 60 s. The end of $DOCKERD_LOG:"
    tail -n 20 "$DOCKERD_LOG" >&2 || true
    exit 1
  fi
fi
log "Docker Engine $version is up"

#!/usr/bin/env bash
# Starts a fleet of pretend hosts for SSH demos: real sshd servers on 127.0.0.1, one port
# each, named web1, web2, … in an ssh_config that Baton (and you) can use with `ssh -F`.
#
#   demo/fleet/start-fleet.sh [-n COUNT] [-d DIR]   start COUNT hosts (default 4), after
#                                                   stopping any fleet already in DIR
#   demo/fleet/start-fleet.sh stop [-d DIR]         stop it (demo/fleet/stop-fleet.sh does too)
#   demo/fleet/start-fleet.sh status [-d DIR]       say which hosts are up
#
# DIR defaults to $XDG_RUNTIME_DIR/baton-fleet, or /tmp/baton-fleet-$USER; it is private
# (mode 0700) and holds everything: a client key, each host's key, sshd_config, pid file and
# log (DIR/hosts/NAME/), the known_hosts file listing every host's key, ssh_config, and
# inventory.yaml (the hosts and a group `web` of all of them, for `baton run --inventory`).
# Once it is up, try:
#
#   ssh -F DIR/ssh_config web1 'echo $FLEET_HOST'
#   baton run demo/fleet/rolling-restart.yaml --inventory DIR/inventory.yaml
#
# Each host's sessions run as you, with $FLEET_HOST set to the host's name and $HOME set to a
# folder of its own (DIR/hosts/NAME/home), so files written to ~ on web1 are not on web2, and
# none of your own shell startup files run. They start in your real home directory.
#
# Needs openssh-server and openssh-client (apt-get install openssh-server openssh-client) and
# procps (pgrep). Run it as root, or as a user who can run sshd on high ports: that user's
# fleet logs in only as that user. Stopping kills each server with its sessions and every
# process a session started (found by LOOPBACK_SSH_HOST in its environment), then removes DIR.
set -euo pipefail

SSHD=${SSHD:-/usr/sbin/sshd}

default_dir() {
    if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "${XDG_RUNTIME_DIR}" ]; then
        echo "$XDG_RUNTIME_DIR/baton-fleet"
    else
        echo "/tmp/baton-fleet-$(id -un)"
    fi
}

action=start
count=4
dir=$(default_dir)

usage() { sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

case "${1:-}" in
    start|stop|status) action=$1; shift ;;
    -h|--help) usage ;;
esac
while [ $# -gt 0 ]; do
    case "$1" in
        -n) count=${2:?-n needs a number}; shift 2 ;;
        -d) dir=${2:?-d needs a folder}; shift 2 ;;
        -h|--help) usage ;;
        *) echo "start-fleet.sh: unknown argument '$1'" >&2; usage ;;
    esac
done
case "$count" in ''|*[!0-9]*) echo "start-fleet.sh: -n wants a number of hosts" >&2; exit 2 ;; esac
[ "$count" -ge 1 ] && [ "$count" -le 50 ] || { echo "start-fleet.sh: -n wants 1 to 50 hosts" >&2; exit 2; }
case "$dir" in /*) ;; *) dir=$PWD/$dir ;; esac
# A file that says the folder is a fleet's, so stop never removes anything else.
stamp=$dir/.baton-fleet
name=$(basename "$dir")

# Prints a process and everything under it, children first.
tree() {
    local child
    for child in $(pgrep -P "$1" || true); do tree "$child"; done
    echo "$1"
}

# Kills a server with its sessions and what they run. Freezing first means no process forks a
# new one, or is orphaned out of the tree, between the last look and the kill.
kill_tree() {
    kill -STOP $(tree "$1") 2>/dev/null || true
    kill -STOP $(tree "$1") 2>/dev/null || true
    kill -KILL $(tree "$1") 2>/dev/null || true
}

# The pid in a host's pid file, if that process is still the fleet's sshd (not a reused pid).
server_pid() {
    local pidfile=$1/sshd.pid pid
    [ -s "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    grep -qaF "$1/sshd_config" "/proc/$pid/cmdline" 2>/dev/null || return 1
    echo "$pid"
}

stop_fleet() {
    if [ ! -e "$stamp" ]; then
        [ -e "$dir" ] && { echo "start-fleet.sh: $dir is not a fleet's folder; leaving it alone" >&2; return 1; }
        echo "no fleet in $dir"
        return 0
    fi
    local host pid environ
    for host in "$dir"/hosts/*/; do
        host=${host%/}
        pid=$(server_pid "$host") && kill_tree "$pid"
    done
    # Whatever left its session (setsid, nohup …) still carries the host's marker.
    for environ in $(grep -lazs "^LOOPBACK_SSH_HOST=$name/" /proc/[0-9]*/environ || true); do
        pid=${environ#/proc/}
        kill -KILL "${pid%/environ}" 2>/dev/null || true
    done
    rm -rf "$dir"
    echo "stopped the fleet in $dir"
}

fail() {
    echo "start-fleet.sh: $*" >&2
    stop_fleet >/dev/null 2>&1 || true
    exit 1
}

# Whether something accepts connections on 127.0.0.1:PORT.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts one host's sshd on a port nothing uses; prints the port.
start_host() {
    local host=$1 alias=$2 try port pid
    for try in $(seq 1 30); do
        # Below the kernel's ephemeral ports (32768 up), so outgoing connections never hold one.
        port=$((20000 + RANDOM % 12000))
        listening "$port" && continue
        cat >"$host/sshd_config" <<EOF
# Host $alias of the Baton demo fleet (demo/fleet/start-fleet.sh).
Port $port
ListenAddress 127.0.0.1
HostKey "$host/ssh_host_ed25519_key"
AuthorizedKeysFile "$dir/client_ed25519.pub"
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PidFile "$host/sshd.pid"
SetEnv "LOOPBACK_SSH_HOST=$name/$alias" "FLEET_HOST=$alias" "HOME=$host/home"
PrintMotd no
PrintLastLog no
MaxStartups 100
EOF
        : >"$host/sshd.log"
        rm -f "$host/sshd.pid"
        # -D keeps it from forking, so a port already taken shows in its log; setsid parts it
        # from this terminal, so closing the terminal leaves the fleet running.
        setsid "$SSHD" -D -f "$host/sshd_config" -E "$host/sshd.log" </dev/null >/dev/null 2>&1 &
        for _ in $(seq 1 100); do
            if pid=$(server_pid "$host") && listening "$port"; then
                echo "$port"
                return 0
            fi
            if grep -q "Address already in use" "$host/sshd.log"; then
                continue 2
            fi
            sleep 0.1
        done
        echo "sshd for $alias did not start within 10 s; its log:" >&2
        cat "$host/sshd.log" >&2
        return 1
    done
    echo "no free port for $alias after 30 tries" >&2
    return 1
}

start_fleet() {
    local tool
    for tool in "$SSHD" ssh ssh-keygen pgrep; do
        command -v "$tool" >/dev/null 2>&1 || {
            echo "start-fleet.sh: $tool is missing: apt-get install openssh-server openssh-client procps" >&2
            exit 1
        }
    done
    stop_fleet >/dev/null
    if [ "$(id -u)" = 0 ]; then
        # sshd's privilege separation folder; it refuses to start as root without it.
        mkdir -p /run/sshd
    fi
    [ -e "$dir" ] && fail "$dir exists and is not a fleet's folder"
    (umask 077 && mkdir -p "$dir/hosts")
    chmod 700 "$dir"
    : >"$stamp"
    ssh-keygen -q -t ed25519 -N '' -C "baton-fleet-client" -f "$dir/client_ed25519"
    local user i alias host port
    user=$(id -un)
    : >"$dir/known_hosts"
    cat >"$dir/ssh_config" <<EOF
# The Baton demo fleet (demo/fleet/start-fleet.sh). Use with: ssh -F $dir/ssh_config HOST
# (ssh reads ~/.ssh from your passwd entry's home, not \$HOME, so everything is in here).
EOF
    for i in $(seq 1 "$count"); do
        alias=web$i
        host=$dir/hosts/$alias
        mkdir -p "$host/home"
        ssh-keygen -q -t ed25519 -N '' -C "$alias@baton-fleet" -f "$host/ssh_host_ed25519_key"
        port=$(start_host "$host" "$alias") || fail "could not start $alias"
        echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$host/ssh_host_ed25519_key.pub")" >>"$dir/known_hosts"
        cat >>"$dir/ssh_config" <<EOF

Host $alias
    HostName 127.0.0.1
    Port $port
    User $user
    IdentityFile "$dir/client_ed25519"
    IdentitiesOnly yes
    UserKnownHostsFile "$dir/known_hosts"
    GlobalKnownHostsFile /dev/null
    UpdateHostKeys no
    CheckHostIP no
    BatchMode yes
    ConnectTimeout 5
    ConnectionAttempts 1
EOF
    done
    # An inventory for `baton run … --inventory DIR/inventory.yaml`: the hosts, a group of all
    # of them, and this ssh_config.
    {
        echo "# The Baton demo fleet's inventory (demo/fleet/start-fleet.sh)."
        echo "ssh_config: $dir/ssh_config"
        echo "hosts:"
        for i in $(seq 1 "$count"); do echo "  web$i: web$i"; done
        echo "groups:"
        echo "  web: [$(seq -s ', ' -f 'web%g' 1 "$count")]"
    } >"$dir/inventory.yaml"
    # Prove it: every host answers over ssh with its own name.
    for i in $(seq 1 "$count"); do
        alias=web$i
        [ "$(ssh -F "$dir/ssh_config" "$alias" 'echo $FLEET_HOST' 2>&1)" = "$alias" ] \
            || fail "$alias does not answer over ssh: $(ssh -F "$dir/ssh_config" "$alias" true 2>&1)"
    done
    echo "A fleet of $count hosts is up in $dir"
    status_fleet
    echo "Try:  ssh -F $dir/ssh_config web1 'echo \$FLEET_HOST'"
    echo "      baton run demo/fleet/rolling-restart.yaml --inventory $dir/inventory.yaml"
    echo "Stop: $(dirname "$0")/stop-fleet.sh$( [ "$dir" = "$(default_dir)" ] || echo " -d $dir")"
}

status_fleet() {
    [ -e "$stamp" ] || { echo "no fleet in $dir"; return 1; }
    echo "ssh_config: $dir/ssh_config"
    local host alias port
    for host in "$dir"/hosts/*/; do
        host=${host%/}
        alias=$(basename "$host")
        port=$(sed -n 's/^Port //p' "$host/sshd_config" 2>/dev/null || true)
        if server_pid "$host" >/dev/null; then
            echo "  $alias  127.0.0.1:$port  up (pid $(server_pid "$host"))"
        else
            echo "  $alias  127.0.0.1:$port  down"
        fi
    done
}

case "$action" in
    start) start_fleet ;;
    stop) stop_fleet ;;
    status) status_fleet ;;
esac

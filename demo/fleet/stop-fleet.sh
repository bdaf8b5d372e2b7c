#!/usr/bin/env bash
# Stops the demo fleet that start-fleet.sh started: the same as `start-fleet.sh stop [-d DIR]`.
exec "$(dirname "$0")/start-fleet.sh" stop "$@"

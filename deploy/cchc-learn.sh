#!/bin/sh
# cchc-learn as the service runs it: installed as /usr/local/sbin/cchc-learn (docs/operations.md).
# Run as root, e.g. `sudo cchc-learn db upgrade`: the command runs as the service's user, with
# the service's settings, from the checkout (give files as absolute paths).
set -eu
ENV_FILE=/etc/cchc-learn/cchc-learn.env
APP_DIR=/srv/cchc-learn
APP_USER=cchc

set -a
. "$ENV_FILE"
set +a
cd "$APP_DIR"
exec runuser -u "$APP_USER" -- "$APP_DIR/.venv/bin/cchc-learn" "$@"

#!/usr/bin/env bash
# Starts PostgreSQL and Redis on 127.0.0.1 (their default ports) when they are not already running.
# The tests find them there by themselves; the browser tests find or install Chromium in their own setup.
set -euo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]; }

if ! pg_up; then
  echo "services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up || { echo "services: PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }

if ! redis_up; then
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
fi
redis_up || { echo "services: Redis does not answer on 127.0.0.1:6379" >&2; exit 1; }
echo "services: PostgreSQL and Redis ready"

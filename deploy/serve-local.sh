#!/usr/bin/env bash
# `make serve`: the production arrangement on one machine. Varnish on the public port in
# front of gunicorn with the production settings, the task and scheduled workers beside
# them, the same database as `make run`. Ctrl+C (or SIGTERM) stops all four.
#
# The values below marked LOCAL stand in for what a real deployment sets (docs/configuration.md);
# never use them for a site on the internet.
set -euo pipefail
cd "$(dirname "$0")/.."

app_port=${APP_PORT:-8001}
edge_port=${EDGE_PORT:-8080}
export DJANGO_SETTINGS_MODULE=procura.settings.production
export SECRET_KEY=${SECRET_KEY:-LOCAL-make-serve-only-not-a-secret-0123456789abcdefghijklmnopqrstuv}
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}  # LOCAL
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-false}  # LOCAL: no TLS on this machine
export SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0}  # LOCAL
export FRONTEND_CACHE_URL=${FRONTEND_CACHE_URL:-http://127.0.0.1:$edge_port}
# Varnish appends the client's address to X-Forwarded-For: the one proxy in front of the app
# (login throttling counts per client address, docs/configuration.md).
export TRUSTED_PROXY_COUNT=${TRUSTED_PROXY_COUNT:-1}
export WAGTAILADMIN_BASE_URL=${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:$edge_port}  # LOCAL
# LOCAL: mail (password resets…) is written to files in var/mail/, not sent.
export EMAIL_URL=${EMAIL_URL:-file://$PWD/var/mail}
workdir=$(mktemp -d /tmp/procura-serve.XXXXXX)
chmod 755 "$workdir"
# One cache for the workers and the scheduler, so that a change one makes reaches the
# others at once (production: Redis).
export CACHE_URL=${CACHE_URL:-file://$workdir/cache}  # LOCAL

.venv/bin/python manage.py collectstatic --no-input --verbosity 0
# Full URLs (the API's html_url, the sitemap) name the address Varnish serves.
.venv/bin/python manage.py setup_site --hostname 127.0.0.1 --port "$edge_port" >/dev/null

pids=()
stop() {
    trap - EXIT INT TERM
    kill "${pids[@]}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$workdir"
}
trap stop EXIT INT TERM

.venv/bin/gunicorn procura.wsgi:application --bind "127.0.0.1:$app_port" --workers 2 \
    --max-requests 1000 --max-requests-jitter 100 &
pids+=($!)
.venv/bin/python manage.py run_worker &
pids+=($!)
.venv/bin/python manage.py db_worker --no-reload -v0 &
pids+=($!)
sed "s/\.port = \"8001\"/.port = \"$app_port\"/" deploy/varnish/default.vcl >"$workdir/default.vcl"
varnishd -F -a "127.0.0.1:$edge_port" -f "$workdir/default.vcl" -n "$workdir/varnish" \
    -s malloc,256m &
pids+=($!)
echo "Serving on http://127.0.0.1:$edge_port/ (Varnish, in front of gunicorn on" \
    "127.0.0.1:$app_port, with the workers); mail goes to ${EMAIL_URL}. Ctrl+C stops all."
wait -n "${pids[@]}"

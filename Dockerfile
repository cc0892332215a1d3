# syntax=docker/dockerfile:1
# Procura+ Network: production image. Migrations are a release step, not part of CMD:
#   docker run --rm IMAGE python manage.py migrate --no-input && python manage.py setup_site
# The same image runs the two workers, one of each per site: the task worker (the search index
# after a publish) and the scheduled worker (publishing at its time, expiry):
#   docker run IMAGE python manage.py db_worker
#   docker run IMAGE python manage.py run_worker
# and the nightly backup (pg_dump and psql are in the image; docs/operations.md, "Backups"):
#   docker run --rm IMAGE python manage.py backup --keep-daily 14 --keep-weekly 8

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN python -m venv /venv
ENV PATH="/venv/bin:$PATH"
# Dependencies first (the project itself installs no modules, only its locked
# dependencies), so code changes do not invalidate this layer.
COPY pyproject.toml constraints.txt README.md ./
RUN pip install -c constraints.txt .
COPY . .
RUN python manage.py compilemessages --ignore "/venv/*" \
    && DJANGO_SETTINGS_MODULE=procura.settings.production SECRET_KEY=build-only-dummy ALLOWED_HOSTS=build \
       EMAIL_URL=smtp://build WAGTAILADMIN_BASE_URL=http://build \
       python manage.py collectstatic --no-input --verbosity 0

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH="/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=procura.settings.production \
    PORT=8000
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libjpeg62-turbo libwebp7 zlib1g \
       postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 procura \
    && useradd --system --uid 10001 --gid procura --home-dir /app --shell /usr/sbin/nologin procura
WORKDIR /app
COPY --from=build /venv /venv
COPY --from=build --chown=10001:10001 /app /app
RUN mkdir -p /app/var/media && chown -R 10001:10001 /app/var
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/health/', timeout=4)"]
CMD ["gunicorn", "procura.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--max-requests", "1000", "--max-requests-jitter", "100", "--access-logfile", "-"]

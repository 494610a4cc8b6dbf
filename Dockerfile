# syntax=docker/dockerfile:1
# Casebridge: one image for the web server (the default command), the Celery worker and Celery beat.
# See docker-compose.yml for how the three are run. Configuration comes from the environment
# (config/settings/base.py); secrets may be given as files with the *_FILE variables.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=config.settings.base \
    DJANGO_STATIC_ROOT=/app/staticfiles \
    DJANGO_MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

WORKDIR /app

# Dependencies first, in their own layer, so that a code change does not reinstall them.
# gcc and libpq-dev build psycopg2; libpq5 and libmagic1 are what stays at run time.
COPY pyproject.toml constraints.txt ./
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 libpq5 libpq-dev gcc \
    && pip install -c constraints.txt . \
    && apt-get purge -y --auto-remove gcc libpq-dev \
    && rm -rf /var/lib/apt/lists/*

COPY . .

# Static files are collected at build time. The secret key and database URL below exist only for this
# command (settings require them; collectstatic uses neither) and are not kept in the image.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret \
    DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput --verbosity 0

RUN groupadd --system --gid 10001 casebridge \
    && useradd --system --uid 10001 --gid casebridge --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin casebridge \
    && mkdir -p /data/media \
    && chown casebridge:casebridge /data/media
USER casebridge

EXPOSE 8000
# Workers from WEB_CONCURRENCY. No access log: it would record client IP addresses.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", "--timeout", "60"]

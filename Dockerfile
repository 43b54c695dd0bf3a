# One image for every role: web (gunicorn, the default command), Celery worker and Celery beat.
# docker-compose.yml shows how the roles are wired together.
FROM python:3.11-slim-bookworm

# manage.py defaults to the dev settings (DEBUG on); in the image everything runs on base.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.base

# WeasyPrint needs Pango (with libthai line breaking) and harfbuzz-subset; fonts-thai-tlwg is the
# Thai fallback beside the bundled Sarabun; gettext provides msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-thai-tlwg gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home app

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. README.m[d] matches the README
# when it exists and nothing otherwise (pyproject.toml names it as the long description).
COPY pyproject.toml README.m[d] ./
RUN pip install '.[s3]' \
    && rm -rf build ./*.egg-info

COPY . .

# The code stays root-owned and read-only for the app user; only var/media is writable (local
# storage; production uses STORAGE_BACKEND=s3). The key below exists only for these two commands.
RUN SECRET_KEY=build-only-not-a-secret python manage.py compilemessages --ignore=.venv -v 0 \
    && SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --noinput -v 0 \
    && mkdir -p var/media \
    && chown app:app var/media

USER app

EXPOSE 8000

CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

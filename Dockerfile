# One image for every app process: web (gunicorn), worker and beat (celery).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SRM_ENV=production \
    SRM_STATIC_ROOT=/app/staticfiles \
    SRM_MEDIA_ROOT=/app/media

WORKDIR /app
# Pango, HarfBuzz, fontconfig and a font for WeasyPrint (the QBR pack's PDF); gettext compiles
# the German catalogue.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 srm

COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
# The German catalogue: locale/de/LC_MESSAGES/django.po is committed, its .mo is built here.
RUN SRM_SECRET_KEY=compilemessages-only SRM_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://unused@localhost/unused \
    python manage.py compilemessages -l de -v 0
RUN pip install --no-cache-dir --no-deps . \
    && SRM_SECRET_KEY=collectstatic-only SRM_ALLOWED_HOSTS=localhost \
       DATABASE_URL=postgres://unused@localhost/unused \
       python manage.py collectstatic --no-input -v 0 \
    && mkdir -p /app/media && chown -R srm:srm /app/media

USER srm
EXPOSE 8000
CMD ["gunicorn", "srm.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

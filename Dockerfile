# Waakvlam for a region: one image for the bot instances and the one-shot migration.
# Build: docker build -t waakvlam .   (see README "Running for a region", and docker-compose.yml)
#
# Stage 1 installs exactly what requirements.lock lists (versions and hashes), compiles the Babel
# catalogs and builds Waakvlam's wheel with the locked setuptools; stage 2 keeps only the environment.

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/waakvlam
COPY requirements.lock ./
RUN /opt/waakvlam/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md babel.cfg ./
COPY bot bot
COPY handlers handlers
COPY flows flows
COPY storage storage
COPY locale locale
COPY scripts/catalogs.py scripts/catalogs.py
RUN /opt/waakvlam/bin/python scripts/catalogs.py --compile \
 && /opt/waakvlam/bin/pip install --no-deps --no-build-isolation . \
 && /opt/waakvlam/bin/pip uninstall --yes setuptools

FROM python:3.11-slim-bookworm
RUN useradd --system --uid 10001 --home-dir /var/lib/waakvlam --create-home waakvlam
COPY --from=build /opt/waakvlam /opt/waakvlam
ENV PATH=/opt/waakvlam/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    WAAKVLAM_LOG_JSON=true \
    WAAKVLAM_WEB_LISTEN=0.0.0.0 \
    WAAKVLAM_WEB_PORT=8080
USER waakvlam
WORKDIR /var/lib/waakvlam
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]
CMD ["waakvlam", "run"]

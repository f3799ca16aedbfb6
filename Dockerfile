# residency in a container: slim, non-root, happy on a read-only root file system.
#   docker build -t residency .
#   docker run --rm --read-only --tmpfs /tmp -v "$PWD:/work" -w /work residency scan --policy policies/ --output-dir reports
# Credentials come from the usual environment variables or mounted files (AWS_*, GOOGLE_APPLICATION_CREDENTIALS,
# AZURE_*); nothing is baked into the image.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY residency ./residency
RUN pip install --no-cache-dir build==1.* \
    && python -m build --wheel --outdir /dist

FROM python:3.11-slim
LABEL org.opencontainers.image.title="residency" \
      org.opencontainers.image.description="Multi-cloud data-residency compliance checker" \
      org.opencontainers.image.licenses="Apache-2.0"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOME=/tmp
COPY --from=build /dist/*.whl /tmp/wheels/
RUN pip install --no-cache-dir /tmp/wheels/*.whl \
    && rm -rf /tmp/wheels \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin residency
COPY policies /policies
USER 10001
WORKDIR /work
ENTRYPOINT ["residency"]
CMD ["--help"]

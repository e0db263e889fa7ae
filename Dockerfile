# Scoring service image: dependencies from the hashed lock file, run as a non-root user; Java
# for `rescue score --engine spark`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 default-jre-headless \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY features features
COPY models models
COPY training training
COPY service service
COPY rescue rescue
RUN pip install --no-deps . && useradd --create-home --uid 10001 rescue \
    && mkdir -p /app/var && chown rescue /app/var

USER rescue
EXPOSE 8000
CMD ["rescue", "serve", "--host", "0.0.0.0", "--port", "8000"]

# kefu: the bot with long polling (or `kefu run --webhook`), data in a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A CJK font for the service star's certificate (bot/certificate.py): Chinese names render.
RUN apt-get update -qq \
    && apt-get install -y -qq --no-install-recommends fonts-wqy-microhei >/dev/null \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 kefu
WORKDIR /app

# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY rules ./rules
COPY storage ./storage
COPY templates ./templates
COPY webapp ./webapp
RUN pip install .

# The SQLite file (DATABASE_URL default: sqlite:///data/kefu.db) lives in /app/data.
RUN mkdir -p /app/data && chown kefu:kefu /app/data
VOLUME ["/app/data"]
USER kefu

# Webhook mode listens here (KEFU_WEBHOOK_LISTEN), and polling mode too when
# KEFU_PUBLIC_URL is set (the Mini App, behind your HTTPS proxy); otherwise no port.
EXPOSE 8080
ENTRYPOINT ["kefu"]
CMD ["run"]

# The ScopeKeeper worker. Same install as the README (`pip install .`); configuration and state
# live on volumes, secrets come from the environment (docker run --env-file secrets.env ...).
#   docker build -t scopekeeper .
#   docker run -d --name scopekeeper --env-file secrets.env \
#     -v "$PWD/config:/config:ro" -v scopekeeper-state:/state scopekeeper
# In /config/scopekeeper.toml set state_url = "sqlite:////state/scopekeeper.db" (or a PostgreSQL URL).
FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY integrations/ integrations/
COPY rules/ rules/
COPY scheduler/ scheduler/
# The lemma tables are built into the image: no container start indexes a dictionary (rules/lemmas.py).
ENV SCOPEKEEPER_CACHE_DIR=/app/cache
RUN pip install --no-cache-dir . \
 && python -c "from rules.lemmas import load_table; [load_table(l) for l in ('en', 'fr', 'es', 'pl')]" \
 && useradd --system --home-dir /state --shell /usr/sbin/nologin scopekeeper \
 && mkdir -p /state /config && chown scopekeeper /state

USER scopekeeper
WORKDIR /state
VOLUME ["/state"]
ENV SCOPEKEEPER_CONFIG=/config/scopekeeper.toml
STOPSIGNAL SIGTERM
ENTRYPOINT ["scopekeeper"]
CMD ["run", "--log-format", "json"]

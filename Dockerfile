# syntax=docker/dockerfile:1
# One image for every Friren process; the command picks the app (see deploy/compose.yaml and
# deploy/k8s):
#   node apps/poller/dist/main.js            (ops 9101)
#   node apps/trade-recorder/dist/main.js    (ops 9102)
#   node apps/analytics/dist/main.js         (ops 9103)
#   node apps/orchestrator/dist/main.js      (ops 9104, HTTP 8080)  <- default
#   node packages/db/dist/migrate-cli.js     (one-shot migration, `pnpm migrate`)
#   node packages/alpaca-sim/dist/main.js    (the Alpaca simulator, 8090)
# Each of those directories is a `pnpm deploy --prod` of its package: its build plus production
# dependencies only. Build from the repository root: docker build -t friren:local .
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# Keep in step with "packageManager" in package.json (tests/deploy checks it).
ARG PNPM_VERSION=10.34.8
ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
RUN npm install -g "pnpm@${PNPM_VERSION}"
WORKDIR /src
# Dependencies first: this layer is rebuilt only when the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline \
 && pnpm build
# pnpm 10 deploys non-injected workspaces with --legacy; workspace dependencies are copied with
# their dist/ and production dependencies only.
RUN set -eu; \
    for dir in apps/* packages/db packages/alpaca-sim; do \
      pnpm --filter "./${dir}" deploy --legacy --prod "/out/${dir}"; \
    done

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="friren" \
      org.opencontainers.image.description="Friren account & trade cluster: poller, trade-recorder, analytics, orchestrator"
ENV NODE_ENV=production
RUN groupadd --system --gid 10001 friren \
 && useradd --system --uid 10001 --gid friren --home-dir /app --no-create-home --shell /usr/sbin/nologin friren
WORKDIR /app
# Owned by root and read-only for the app user: the processes write nothing to disk.
COPY --from=build /out/ /app/
COPY deploy/docker/healthcheck.mjs /app/healthcheck.mjs
USER 10001:10001
EXPOSE 8080 9101 9102 9103 9104
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/healthcheck.mjs"]
STOPSIGNAL SIGTERM
CMD ["node", "apps/orchestrator/dist/main.js"]

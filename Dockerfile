# syntax=docker/dockerfile:1.7
# Multi-stage build of apps/server. No Docker engine was available where this was written: the file
# is kept conventional and unbuilt (README "Container").

ARG NODE_VERSION=22

# ── build: install everything, compile every package ─────────────────────────────────────────
FROM node:${NODE_VERSION}-bookworm-slim AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN corepack enable
WORKDIR /src
# Manifests first, so the dependency layer is cached until a manifest or the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
COPY packages/domain/package.json packages/domain/
COPY packages/adapters-fs/package.json packages/adapters-fs/
COPY packages/adapters-http/package.json packages/adapters-http/
COPY packages/adapters-postgres/package.json packages/adapters-postgres/
COPY packages/adapters-redis/package.json packages/adapters-redis/
COPY apps/server/package.json apps/server/
COPY bench/package.json bench/
COPY examples/package.json examples/
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm fetch --frozen-lockfile
COPY . .
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile --offline
RUN pnpm run build
# A pruned, self-contained production install of the server: its bundle (apps/server/build.mjs, what
# `pnpm start` runs), its dist, and the production dependencies (PGlite and pino load beside the bundle).
RUN pnpm --filter @rec/server deploy --prod --legacy /prod/server

# ── runtime: Node and the pruned install, as a non-root user ─────────────────────────────────
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0 DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /prod/server ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness only; readiness (/health/ready) is for the load balancer, not for restarting the container.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node directly (exec form): streams close 1001 and the process exits within 10 s.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "bundle/main.js"]

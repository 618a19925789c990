# syntax=docker/dockerfile:1
# edgecart on Node with its embedded libSQL store at /data.

# Pinned to Node 22 on Debian 12; pin a digest (node:22-bookworm-slim@sha256:…) for reproducible production builds.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts are needed: libSQL's native binary and the tools ship as packages.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/
# Production dependencies only, without what Node never reads at run time.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && find node_modules \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.cts' -o -name '*.d.mts' -o -name '*.md' \) -type f -delete

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATABASE_URL=file:/data/cart.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
# The bundled entries only (scripts/bundle.mjs); the library build is for TypeScript consumers.
COPY --from=build /app/dist/node.js /app/dist/purge.js ./dist/
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8787)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node is PID 1 and handles SIGTERM/SIGINT itself (src/runtime/node/server.ts).
CMD ["node", "dist/node.js"]

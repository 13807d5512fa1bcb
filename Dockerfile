# Security API image. Build: docker build -t security-api .
# Configuration comes from the environment (see apps/security-api/src/config/environment.ts);
# docker-compose.yml runs it against the demo directory in test/ldap.

# ---- build: full dependencies, compile TypeScript to dist/
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: none is needed to build or run, and swagger-ui-dist's would report the install to Scarf.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY nest-cli.json tsconfig.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# ---- runtime: production dependencies and the compiled output only
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# Files stay owned by root (read-only for the service); the process runs as the image's non-root user.
USER node
EXPOSE 3000
# Liveness only: /health/live does not consult the directory, so an LDAP outage does not mark the container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD node -e "require('node:http').get({host: '127.0.0.1', port: process.env.PORT || 3000, path: '/health/live', timeout: 4000}, (res) => process.exit(res.statusCode === 200 ? 0 : 1)).on('timeout', () => process.exit(1)).on('error', () => process.exit(1))"
CMD ["node", "dist/apps/security-api/apps/security-api/src/main.js"]

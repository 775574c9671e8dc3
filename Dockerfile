# calsync: one image, three roles. Default command runs everything in one process;
# override with `node apps/ingest/src/main.ts` (or api, worker) for scaled deployments.
FROM node:24-slim AS deps
WORKDIR /app
RUN corepack enable
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json ./
COPY apps/api/package.json apps/api/
COPY apps/ingest/package.json apps/ingest/
COPY apps/server/package.json apps/server/
COPY apps/worker/package.json apps/worker/
COPY packages/cal-client/package.json packages/cal-client/
COPY packages/cal-sim/package.json packages/cal-sim/
COPY packages/db/package.json packages/db/
COPY packages/jobs/package.json packages/jobs/
COPY packages/service-kit/package.json packages/service-kit/
COPY packages/test-support/package.json packages/test-support/
RUN pnpm install --frozen-lockfile --prod

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app ./
COPY apps ./apps
COPY packages ./packages
USER node
EXPOSE 3000
CMD ["node", "apps/server/src/main.ts"]

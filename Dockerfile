# calsync: one image, three roles. The default command runs everything in one process;
# run `node apps/ingest/src/main.js` (or api, worker) instead for scaled deployments.
FROM node:24-slim AS deps
WORKDIR /app
RUN npm install --global pnpm@12.4.2
COPY . .
RUN pnpm install --frozen-lockfile --prod

FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app ./
USER node
EXPOSE 3000
# A small young generation: Node 24 otherwise lets ~150 MB of start-up garbage sit uncollected.
CMD ["node", "--max-semi-space-size=8", "apps/server/src/main.js"]

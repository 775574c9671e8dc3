import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this: migrations are committed and applied by `migrate()`, never pushed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './drizzle',
  casing: 'snake_case',
});

import { formatAdoptionReport } from './adopt/index.ts';
import { migrate } from './migrate.ts';

// `pnpm db:migrate`: the one place outside an app's env.ts that reads DATABASE_URL, since it runs before any app.
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/calsync';
try {
  const { databaseCreated, adopted } = await migrate(url);
  if (adopted) console.log(`${formatAdoptionReport(adopted)}\n`);
  const where = new URL(url);
  console.log(`migrations applied to ${where.host}${where.pathname}${databaseCreated ? ' (database created)' : ''}`);
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
}

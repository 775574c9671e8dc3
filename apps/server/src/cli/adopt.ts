import { type AdoptionReport, checkAdoption, formatAdoptionReport, migrate } from '@calsync/db';
import { exitCodes } from './exit-codes.ts';
import type { Output } from './output.ts';

/**
 * `adopt --check`: what adopting the original design's tables would do, changing nothing. `adopt` alone adopts them
 * (then applies the migrations, as `migrate` and start-up do) and prints what it did. Needs PostgreSQL only.
 */
export async function adoptCommand(
  args: { check: boolean; json: boolean },
  databaseUrl: string,
  output: Output,
): Promise<number> {
  let report: AdoptionReport;
  try {
    if (args.check) {
      report = await checkAdoption(databaseUrl);
    } else {
      const { adopted } = await migrate(databaseUrl);
      report = adopted ?? (await checkAdoption(databaseUrl));
    }
  } catch (error) {
    output.err(`calsync adopt: ${(error as Error).message}`);
    return exitCodes.failed;
  }
  output.out(args.json ? JSON.stringify(report, null, 2) : formatAdoptionReport(report));
  return exitCodes.ok;
}

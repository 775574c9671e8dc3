import { parseArgs } from 'node:util';
import {
  type Figures,
  type Insights,
  leadTimeText,
  loadInsights,
  ownerTimezoneEnv,
  parseInsightsRange,
  percent,
  revenueText,
} from '@calsync/api';
import { createDb } from '@calsync/db';
import { EnvError, HttpError, parseEnv, storageEnv } from '@calsync/service-kit';
import { exitCodes } from './exit-codes.ts';
import type { Output } from './output.ts';
import { usage } from './usage.ts';

/** What `insights` reads: the database, and the zone whose Mondays start the weeks. */
const insightsEnvShape = { DATABASE_URL: storageEnv.DATABASE_URL, ...ownerTimezoneEnv };

function formatTotals(insights: Insights): string[] {
  const t: Figures = insights.totals;
  const { range } = insights;
  const rows: Array<[string, string]> = [
    ['booked', String(t.booked)],
    ['completed', String(t.completed)],
    ['cancelled', String(t.cancelled)],
    ['rejected', String(t.rejected)],
    ['rescheduled', String(t.rescheduled)],
    ['no-shows', String(t.no_show)],
    ['cancellation rate', percent(t.cancellation_rate)],
    ['no-show rate', percent(t.no_show_rate)],
    ['revenue', revenueText(t.revenue)],
    ['median lead time', leadTimeText(insights.median_lead_time_minutes)],
  ];
  const what = range.event_type ? `, event type ${range.event_type}` : '';
  return [
    `insights ${range.from} – ${range.to} (weeks from Monday, ${range.time_zone}${what})`,
    ...rows.map(([label, value]) => `${label.padEnd(20)} ${value}`),
  ];
}

/**
 * `insights [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--event-type ID] [--json]`: the totals that
 * `GET /admin/api/insights` answers for the same range. Exits 2 on a bad option or variable, naming it.
 */
export async function insightsCommand(
  argv: string[],
  options: { env?: Record<string, string | undefined>; output: Output },
): Promise<number> {
  const { output } = options;
  let values: { from?: string; to?: string; 'event-type'?: string; json?: boolean };
  let env: ReturnType<typeof parseEnv<typeof insightsEnvShape>>;
  let range: ReturnType<typeof parseInsightsRange>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        'event-type': { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
    env = parseEnv(insightsEnvShape, options.env ?? process.env);
    const query = { from: values.from, to: values.to, event_type: values['event-type'] };
    range = parseInsightsRange(query, env.OWNER_TIMEZONE);
  } catch (error) {
    if (!(error instanceof HttpError || error instanceof EnvError || error instanceof TypeError)) throw error;
    // The range's messages name the query field (`event_type:`); here it is the option.
    const message = error.message.replace(/^(from|to|event_type):/, (_, f: string) => `--${f.replace('_', '-')}:`);
    output.err(`calsync insights: ${message}\n\n${usage}`);
    return exitCodes.usage;
  }
  const { client, db } = createDb(env.DATABASE_URL, { max: 3, applicationName: 'calsync-cli' });
  try {
    const insights = await loadInsights(db, range, env.OWNER_TIMEZONE);
    if (values.json) {
      const { totals, median_lead_time_minutes } = insights;
      output.out(JSON.stringify({ range: insights.range, totals, median_lead_time_minutes }));
    } else for (const line of formatTotals(insights)) output.out(line);
    return exitCodes.ok;
  } catch (error) {
    output.err(`calsync insights: ${(error as Error).message}`);
    return exitCodes.failed;
  } finally {
    await client.end();
  }
}

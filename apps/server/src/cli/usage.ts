export const usage = `Usage: pnpm calsync <command> [options]

Commands:
  status [--json]                      the health strip: webhooks, failures, queue lag, syncs, budget
  sync bookings|event-types|reconcile  queue a sync (or join the running one) and show its progress until it ends
       [--no-wait]                     only queue it and print the run id
  replay <event-id>                    apply a stored webhook delivery again
  replay --failed                      apply every failed delivery again
  migrate                              create the database if missing and apply the migrations
  adopt --check [--json]               what adopting the original edge functions' tables would do (changes nothing)
  adopt [--json]                       adopt them now (as migrate and start-up do) and print what was done
  endpoints list|add <url> [--types a,b]|delete|pause|resume|rotate <id>|retry <id> <delivery-id> [--json]
                                       outbound webhook endpoints (OUTBOUND_ALLOW_PRIVATE for local URLs)
  insights [--from D] [--to D] [--event-type ID] [--json]  totals as /admin/api/insights (weeks in OWNER_TIMEZONE)

Environment: DATABASE_URL, REDIS_URL (defaults: local PostgreSQL database "calsync", local Redis).
Exit codes: 0 ok, 1 the command failed, 2 bad command line or configuration.`;

import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

// Every script reads the clock with Redis TIME, so the processes sharing the budget may disagree about the time.
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * Takes one token, or says how long to wait. Atomic, so no two processes can both take the last token.
 * KEYS: 1 tokens (sorted set: member = request id, score = ms), 2 paused-until (ms), 3 interactive waiters
 * (sorted set: member = waiter id, score = ms until which the entry counts, so a crashed waiter fades away).
 * ARGV: 1 windowMs, 2 cap for this caller, 3 full limit, 4 'interactive'|'background', 5 request id, 6 waiter grace ms.
 * Returns {1, 0, used} when taken, {0, waitMs, used} when not.
 */
export const ACQUIRE_SCRIPT = `${NOW}
local window = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local interactive = ARGV[4] == 'interactive'
local id = ARGV[5]
local grace = tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local used = redis.call('ZCARD', KEYS[1])

-- ms until fewer than c tokens are in the window: the token at index used - c must leave it
local function untilBelow(c)
  if used < c then return 0 end
  local entry = redis.call('ZRANGE', KEYS[1], used - c, used - c, 'WITHSCORES')
  return tonumber(entry[2]) + window - now
end

local wait = 0
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then wait = paused - now end
wait = math.max(wait, untilBelow(cap))
if not interactive and redis.call('ZCARD', KEYS[3]) > 0 then
  -- an interactive caller is waiting: it goes first; look again once it can have had its token
  wait = math.max(wait, untilBelow(limit), 20)
end
if wait > 0 then
  if interactive then redis.call('ZADD', KEYS[3], now + wait + grace, id) end
  return {0, wait, used}
end
redis.call('ZADD', KEYS[1], now, id)
redis.call('PEXPIRE', KEYS[1], window)
if interactive then redis.call('ZREM', KEYS[3], id) end
return {1, 0, used + 1}
`;

/** KEYS: 1 paused-until. ARGV: 1 pause length in ms. Only ever extends a pause. Returns the remaining ms. */
export const PAUSE_SCRIPT = `${NOW}
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then
  redis.call('SET', KEYS[1], untilMs, 'PXAT', untilMs)
  return untilMs - now
end
return current - now
`;

/** KEYS: 1 tokens, 2 paused-until. ARGV: 1 windowMs. Returns {used, paused ms remaining (0 when not paused)}. */
export const STATUS_SCRIPT = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
return {redis.call('ZCARD', KEYS[1]), math.max(paused - now, 0)}
`;

const shas = new Map<string, string>();

/** EVALSHA, falling back to EVAL the first time a server has not seen the script. */
export async function runScript(
  redis: Redis,
  script: string,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  let sha = shas.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return await redis.eval(script, keys.length, ...keys, ...args);
  }
}

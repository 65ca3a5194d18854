/**
 * GCRA in one script, so a check is atomic however many instances share the key. The clock is
 * Redis's own (TIME), so instances with skewed clocks still count against one timeline.
 * KEYS[1] the key's theoretical arrival time (ms); ARGV[1] the emission interval (ms, may be
 * fractional); ARGV[2] the window (ms). Returns {allowed (0|1), remaining, resetSeconds}, the
 * same decision InProcessRateLimiter makes.
 */
export const GCRA_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local nxt = tat + interval
local allow_at = nxt - window
if now < allow_at then
  return {0, 0, math.ceil((allow_at - now) / 1000)}
end
redis.call('SET', KEYS[1], string.format('%.3f', nxt), 'PX', math.ceil(nxt - now))
return {1, math.floor((window - (nxt - now)) / interval), math.ceil((nxt - now) / 1000)}
`

-- wrk script for bench/journal.ts: POST /api/v1/reports with ~400-byte JSON bodies, as a monitor device
-- would (Authorization: Bearer), optionally with a unique Idempotency-Key per request. Counts responses by
-- status and prints one machine-readable line at the end:  RESULT {...json...}
--
-- Environment: ENTENTE_TOKEN (API token), ENTENTE_IDEMPOTENCY ("1": send a unique key per request),
-- ENTENTE_SALT (makes keys unique across runs), ENTENTE_BODY_BYTES (body size, default 400).

local token = os.getenv("ENTENTE_TOKEN") or "none"
local idempotency = os.getenv("ENTENTE_IDEMPOTENCY") == "1"
local salt = os.getenv("ENTENTE_SALT") or "bench"
local bodyBytes = tonumber(os.getenv("ENTENTE_BODY_BYTES") or "400")

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local counter = 0
local headers = {}
local kinds = {
  { "land", "shelling-impact", "patrol-saw" },
  { "air", "drone", "sensor" },
  { "land", "small-arms", "patrol-heard" },
  { "air", "missile", "fixed-camera" },
  { "land", "infrastructure-damage", "drone" },
}
local text = "Monitors observed an impact north-east of the checkpoint; crater about two metres across, "
  .. "fragments collected, no casualties reported at the time of the visit. Residents heard the approach "
  .. "from the south shortly before. Follow-up patrol requested for the morning. "

function init(args)
  counts = {}
  headers["Content-Type"] = "application/json"
  headers["Authorization"] = "Bearer " .. token
end

-- Reports are spread over a year and along 700 km of the line (distinct incidents): reports of one incident
-- arriving together are correlated into one case, and the intake makes the second wait for the first.
local base = 1793491200 -- 2026-11-01T00:00:00Z

function request()
  counter = counter + 1
  local k = kinds[counter % #kinds + 1]
  local occurred = os.date("!%Y-%m-%dT%H:%M:%SZ", base - ((counter * 7919 + tid * 104729) % 525600) * 60)
  local head = string.format(
    '{"occurredAt":"%s","location":{"lon":%.5f,"lat":%.5f},"domain":"%s","type":"%s","source":"%s","narrative":"',
    occurred, 32.0 + ((counter * 7907 + tid * 13) % 70000) / 10000, 46.5 + ((counter * 6007 + tid * 17) % 25000) / 10000,
    k[1], k[2], k[3])
  local narrative = string.sub(string.format("#%s-%d-%d %s%s", salt, tid, counter, text, text), 1, bodyBytes - #head - 2)
  if idempotency then
    headers["Idempotency-Key"] = string.format("%s-%d-%d", salt, tid, counter)
  end
  return wrk.format("POST", "/api/v1/reports", headers, head .. narrative .. '"}')
end

function response(status, hdrs, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for status, n in pairs(c) do all[status] = (all[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(all) do parts[#parts + 1] = string.format('"%d":%d', status, n) end
  local e = summary.errors
  io.write(string.format(
    '\nRESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"meanUs":%.1f,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"statuses":{%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ",")))
end

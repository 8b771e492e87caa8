-- wrk script for bench/run: shapes the request from environment variables and, when wrk is done, prints one
-- JSON line (prefixed BENCH_RESULT) that bench/run collects into the raw results.
--   BENCH_METHOD      GET (default) or POST
--   BENCH_BODY_BYTES  request body size in bytes (POST); 0 for none
--   BENCH_CLOSE       1 to send "Connection: close" on every request (a new connection per request)
--   BENCH_SCENARIO, BENCH_TARGET, BENCH_ROUND, BENCH_CONNECTIONS: labels copied into the result line

local method = os.getenv("BENCH_METHOD") or "GET"
local body_bytes = tonumber(os.getenv("BENCH_BODY_BYTES") or "0") or 0

wrk.method = method
if body_bytes > 0 then
  wrk.body = string.rep("x", body_bytes)
  wrk.headers["Content-Type"] = "application/octet-stream"
end
if os.getenv("BENCH_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end

local function label(name, default)
  local value = os.getenv(name) or default
  return (value:gsub('[^%w%-%._]', '_'))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"kind":"wrk","scenario":"%s","target":"%s","round":%d,"connections":%d,'
      .. '"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"mean_us":%.1f,"max_us":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}}\n',
    label("BENCH_SCENARIO", "adhoc"), label("BENCH_TARGET", "adhoc"),
    tonumber(os.getenv("BENCH_ROUND") or "0") or 0, tonumber(os.getenv("BENCH_CONNECTIONS") or "0") or 0,
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end

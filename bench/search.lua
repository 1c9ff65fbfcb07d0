-- wrk script: logged-in GETs over a file of URLs; reports p50/p90/p95/p99 and non-200 replies.
--   BENCH_PATHS=bench/out/paths.txt BENCH_COOKIE=bench/out/cookie.txt wrk -s bench/search.lua ...
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("BENCH_PATHS") or "bench/out/paths.txt") do
    paths[#paths + 1] = line
  end
  local f = assert(io.open(os.getenv("BENCH_COOKIE") or "bench/out/cookie.txt"))
  cookie = "sessionid=" .. f:read("*l")
  f:close()
  math.randomseed(os.time() + #threads)
  n = math.random(#paths)
  bad = 0
end

function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n], { ["Cookie"] = cookie })
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, t in ipairs(threads) do
    non200 = non200 + t:get("bad")
  end
  io.write(string.format("requests=%d duration_s=%.1f rps=%.1f non200=%d socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    non200, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for _, p in ipairs({ 50, 90, 95, 99 }) do
    io.write(string.format("p%d_ms=%.1f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max_ms=%.1f\n", latency.max / 1000))
end

-- wrk script: every request is a different candidate submitting an application (POST with a
-- session and a CSRF token), spread over the bench exam's positions. A 302 to the application
-- page is success; anything else is counted.
--   BENCH_SESSIONS=bench/out/reg_sessions.txt BENCH_PATHS=bench/out/reg_positions.txt wrk -s bench/registration.lua ...
local threads = {}
local CSRF = "benchbenchbenchbenchbenchbench12"

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  sessions, paths = {}, {}
  local total = tonumber(os.getenv("BENCH_THREADS") or "2")
  local i = 0
  for line in io.lines(os.getenv("BENCH_SESSIONS") or "bench/out/reg_sessions.txt") do
    i = i + 1
    if i % total == id - 1 then sessions[#sessions + 1] = line end -- each thread its own candidates
  end
  for line in io.lines(os.getenv("BENCH_PATHS") or "bench/out/reg_positions.txt") do
    paths[#paths + 1] = line
  end
  n, ok, bad = 0, 0, 0
  body = "declared=on&csrfmiddlewaretoken=" .. CSRF
end

function request()
  n = n + 1
  if n > #sessions then n = 1 end -- wrapped around: later replies are "already applied"
  local headers = {
    ["Cookie"] = "sessionid=" .. sessions[n] .. "; csrftoken=" .. CSRF,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Referer"] = "http://127.0.0.1/",
  }
  return wrk.format("POST", paths[(n % #paths) + 1], headers, body)
end

function response(status, headers, body)
  if status == 302 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local good, other = 0, 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    other = other + t:get("bad")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("requests=%d duration_s=%.1f rps=%.1f submitted=%d submitted_per_s=%.1f other=%d socket_errors=%d\n",
    summary.requests, secs, summary.requests / secs, good, good / secs, other,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  for _, p in ipairs({ 50, 90, 99 }) do
    io.write(string.format("p%d_ms=%.1f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max_ms=%.1f\n", latency.max / 1000))
end

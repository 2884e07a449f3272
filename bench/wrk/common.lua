-- common.lua - shared by the wrk scripts of bench/run (loaded with dofile).
--
-- Environment (set by bench/run):
--   BENCH_TOKEN     API token ("yj_..."), sent as Authorization: Bearer
--   BENCH_SCENARIO  name printed in the result line
--   BENCH_ID_MIN, BENCH_ID_MAX   the seeded units' id range
--   BENCH_SALT      one credit-code character that differs between runs (writes)
local M = {}

M.token = os.getenv("BENCH_TOKEN") or error("BENCH_TOKEN is not set")
M.scenario = os.getenv("BENCH_SCENARIO") or "unnamed"
M.id_min = tonumber(os.getenv("BENCH_ID_MIN") or "1")
M.id_max = tonumber(os.getenv("BENCH_ID_MAX") or "10000")

M.auth_headers = {
  ["Authorization"] = "Bearer " .. M.token,
  ["Accept"] = "application/json",
}

-- setup() runs once per wrk thread in the main Lua state: number the threads, so
-- that each thread's state can tell itself apart (random seeds, credit codes).
local next_thread = 0
function M.setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

-- done() runs once at the end in the main state: one JSON line that bench/run
-- parses, then the same figures for people. Latencies are in microseconds.
function M.done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  local function ms(us) return string.format("%.3f", us / 1000) end
  local line = string.format(
    '{"scenario":"%s","requests":%d,"duration_s":%.2f,"rps":%.1f,' ..
    '"mean_ms":%s,"p50_ms":%s,"p90_ms":%s,"p99_ms":%s,"p999_ms":%s,"max_ms":%s,' ..
    '"non2xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d,' ..
    '"bytes":%d}',
    M.scenario, summary.requests, secs, summary.requests / secs,
    ms(latency.mean), ms(latency:percentile(50)), ms(latency:percentile(90)),
    ms(latency:percentile(99)), ms(latency:percentile(99.9)), ms(latency.max),
    e.status, e.connect, e.read, e.write, e.timeout, summary.bytes)
  io.write("BENCH_JSON " .. line .. "\n")
end

return M

-- intel_lookup.lua - GET /api/v1/indicators/lookup?value=<random> over the indicators
-- bench/run seeded (a million, mostly IPv4), with a bearer token. The values come from
-- BENCH_LOOKUP_FILE, one percent-encoded value a line (bench/intel_gen --format
-- queries): addresses, domains, URLs and hashes, about half of them matching.
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

setup = c.setup
done = c.done

local values = {}

function init(args)
  local path = os.getenv("BENCH_LOOKUP_FILE") or error("BENCH_LOOKUP_FILE is not set")
  for line in io.lines(path) do
    if line ~= "" then
      values[#values + 1] = line
    end
  end
  if #values == 0 then
    error("no values in " .. path)
  end
  math.randomseed(3000 + (thread_id or 0))
end

function request()
  local v = values[math.random(1, #values)]
  return wrk.format("GET", "/api/v1/indicators/lookup?value=" .. v, c.auth_headers)
end

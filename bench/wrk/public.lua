-- public.lua - GET /public/certificates/{number} of a random certificate that
-- bench/seed --certificates issued: the anonymous look-up anyone may make of a
-- certificate's status and history, so no token is sent. Only issued numbers are
-- asked for, so every answer is 200.
--
-- The seeded numbers are consecutive, "BENCH-2026-00001" .. "BENCH-2026-10000":
-- bench/run reads the first and last from seed's output (as it reads the unit ids
-- for get.lua) and passes them as BENCH_CERT_FIRST and BENCH_CERT_LAST; both have
-- the same prefix and width of the sequence.
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

setup = c.setup
done = c.done

local first = os.getenv("BENCH_CERT_FIRST") or error("BENCH_CERT_FIRST is not set")
local last = os.getenv("BENCH_CERT_LAST") or error("BENCH_CERT_LAST is not set")
local prefix, lo_digits = first:match("^(.-)(%d+)$")
local last_prefix, hi_digits = last:match("^(.-)(%d+)$")
assert(prefix and prefix == last_prefix and #lo_digits == #hi_digits,
  "BENCH_CERT_FIRST and BENCH_CERT_LAST must differ only in their final digits")
local width, lo, hi = #lo_digits, tonumber(lo_digits), tonumber(hi_digits)
local pattern = "/public/certificates/" .. prefix .. "%0" .. width .. "d"
local headers = {["Accept"] = "application/json"}

function init(args)
  math.randomseed(3000 + (thread_id or 0))
end

function request()
  return wrk.format("GET", string.format(pattern, math.random(lo, hi)), headers)
end

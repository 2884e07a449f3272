-- get.lua - GET /api/v1/units/{id} of a random seeded unit (the full unit: contacts,
-- offices, staff with certificates, capabilities, on-call), with a bearer token.
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

setup = c.setup
done = c.done

function init(args)
  math.randomseed(2000 + (thread_id or 0))
end

function request()
  return wrk.format("GET", "/api/v1/units/" .. math.random(c.id_min, c.id_max), c.auth_headers)
end

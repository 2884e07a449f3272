-- board.lua - GET /api/v1/incidents/board: the authority's board (open incidents
-- counted by level and state, and the 200 live dispatches with the nearest
-- deadlines, breaches first), with the authority's bearer token. The same request
-- every time: the board has no parameters.
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

setup = c.setup
done = c.done

local req

function init(args)
  req = wrk.format("GET", "/api/v1/incidents/board", c.auth_headers)
end

function request()
  return req
end

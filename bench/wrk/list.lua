-- list.lua - GET /api/v1/units?limit=50, authenticated with a bearer token.
-- BENCH_LIST_PAGES=random (default) asks for a random page of the seeded units
-- (cursor = the id before it), as people paging through the registry do;
-- BENCH_LIST_PAGES=first asks for the first page every time.
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")
local random_pages = (os.getenv("BENCH_LIST_PAGES") or "random") ~= "first"
local pages = math.max(1, math.floor((c.id_max - c.id_min + 1) / 50))

setup = c.setup
done = c.done

function init(args)
  math.randomseed(1000 + (thread_id or 0))
  if not random_pages then
    local req = wrk.format("GET", "/api/v1/units?limit=50", c.auth_headers)
    request = function() return req end
  end
end

function request()
  local page = math.random(0, pages - 1)
  local path = "/api/v1/units?limit=50"
  if page > 0 then
    path = path .. "&cursor=" .. (c.id_min - 1 + page * 50)
  end
  return wrk.format("GET", path, c.auth_headers)
end

-- create.lua - POST /api/v1/units: every request a new, valid unit (4 contacts,
-- 2 offices, 12 staff with certificates, 4 capabilities, a 4-week on-call roster)
-- with its own 统一社会信用代码 (GB 32100-2015), so that none is refused as a
-- duplicate. Codes are "91" + division + "M" + salt + thread + 6-character
-- counter + check character: the salt (BENCH_SALT) differs between runs and from
-- the seeded units' "MA...", the thread character between wrk threads, and the
-- counter between requests of one thread.
local c = dofile(os.getenv("BENCH_WRK_DIR") .. "/common.lua")

setup = c.setup
done = c.done

local ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
local WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
local value = {}
for i = 1, #ALPHABET do value[ALPHABET:sub(i, i)] = i - 1 end

-- The check character of 17 code characters: 31 - (sum mod 31), 31 standing for 0.
local function check_char(body)
  local sum = 0
  for i = 1, 17 do sum = sum + value[body:sub(i, i)] * WEIGHTS[i] end
  local v = (31 - sum % 31) % 31
  return ALPHABET:sub(v + 1, v + 1)
end

local function base31(n, width)
  local s = ""
  for _ = 1, width do
    local d = n % 31
    s = ALPHABET:sub(d + 1, d + 1) .. s
    n = math.floor(n / 31)
  end
  return s
end

local salt = os.getenv("BENCH_SALT") or "B"
assert(#salt == 1 and value[salt] and salt ~= "A", "BENCH_SALT must be one code character other than A")

local headers = {
  ["Authorization"] = c.auth_headers["Authorization"],
  ["Accept"] = "application/json",
  ["Content-Type"] = "application/json",
}

-- Everything but the name and credit code is the same for every request: built once.
local function staff(i)
  local certs = {'"CISP"', '"CISP-PTE"', '"CISP-IRE"', '"CISSP"', '"OSCP"', '"CISAW"'}
  local a, b = certs[(i % #certs) + 1], certs[((i + 2) % #certs) + 1]
  return string.format(
    '{"name":"压测员工%d","department":"应急响应中心","education":"本科","title":"中级工程师",' ..
    '"school":"贵州大学","major":"信息安全","years_in_field":%d,"post":"应急响应工程师",' ..
    '"in_province":true,"certificates":[%s,%s]}', i, 1 + i % 15, a, b)
end
local staff_json = {}
for i = 1, 12 do staff_json[#staff_json + 1] = staff(i) end
local day = 86400000
local now_days = math.floor(os.time() / 86400)
local function rfc3339(ms)
  return os.date("!%Y-%m-%dT%H:%M:%S.000Z", math.floor(ms / 1000))
end
local oncall = {}
for i = 0, 3 do
  local s = (now_days + 7 * i) * day
  oncall[#oncall + 1] = string.format(
    '{"person":"压测员工%d","mobile":"1390000%04d","starts_at":"%s","ends_at":"%s"}',
    i + 1, i, rfc3339(s), rfc3339(s + 7 * day))
end
local rest = table.concat({
  '"registered_capital":10000000,"legal_representative":"张三","founded_on":"2015-03-01",',
  '"business_term":"2015-03-01 至 长期",',
  '"business_scope":"网络与信息安全软件开发；信息系统集成服务；信息技术咨询服务；网络安全等级保护测评。",',
  '"registration_authority":"贵阳市市场监督管理局","province":"贵州省","city":"贵阳市",',
  '"address":"观山湖区长岭北路 1 号","contacts":[',
  '{"role":"emergency_lead","name":"李四","dept_title":"安全服务部 总监","mobile":"13800000000","office_phone":"0851-86221234","email":"lisi@example.cn"},',
  '{"role":"support_lead","name":"王五","dept_title":"技术总监","mobile":"13800000001","office_phone":"0851-86221235","email":"wangwu@example.cn"},',
  '{"role":"support_contact","name":"赵六","dept_title":"项目经理","mobile":"13800000002","email":"zhaoliu@example.cn"},',
  '{"role":"interface","name":"钱七","dept_title":"市场部 经理","mobile":"13800000003","email":"qianqi@example.cn"}],',
  '"offices":[{"name":"总部","is_headquarters":true,"province":"贵州省","city":"贵阳市","address":"观山湖区长岭北路 1 号","floor_area_m2":600,"tenure":"rented","staff_count":40,"security_lead":"王五","phone":"0851-86221236"},',
  '{"name":"六盘水分公司","is_headquarters":false,"province":"贵州省","city":"六盘水市","address":"钟山区明湖路 1 号","floor_area_m2":120,"tenure":"owned","staff_count":6,"security_lead":"赵六","phone":"0858-8221235"}],',
  '"staff":[', table.concat(staff_json, ","), '],',
  '"capabilities":[{"field":"emergency_handling","description":"7×24 应急响应团队"},{"field":"penetration_testing"},',
  '{"field":"security_assessment","description":"CNAS 认可测评实验室"},{"field":"forensics_tracing"}],',
  '"oncall":[', table.concat(oncall, ","), ']}',
})

local counter = 0
local tid

function init(args)
  tid = ALPHABET:sub((thread_id or 0) % 31 + 1, (thread_id or 0) % 31 + 1)
end

function request()
  counter = counter + 1
  local body17 = "91520115M" .. salt .. tid .. base31(counter, 6)
  local code = body17 .. check_char(body17)
  local body = '{"name":"贵州压测' .. code .. '网络安全技术有限公司","credit_code":"' .. code .. '",' .. rest
  return wrk.format("POST", "/api/v1/units", headers, body)
end

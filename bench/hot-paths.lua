-- wrk script of bench/hot-paths.sh. Env: MODE (grant|charge|redemption|floor-grant|floor-charge), DIR (files of
-- HotPathsSetup), CAMPAIGN, THREADS (wrk -t). Every request carries a fresh Idempotency-Key; grants take their
-- single-use operation tokens from DIR/grants.txt (thread i takes lines i, i+THREADS, ...) and a thread whose tokens
-- are spent stops.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  mode = os.getenv("MODE")
  dir = os.getenv("DIR")
  campaign = os.getenv("CAMPAIGN") or "bench"
  local n = tonumber(os.getenv("THREADS") or "1")
  prefix = mode .. "-" .. id .. "-" .. os.time() .. "-" .. math.random(1000000) .. "-"
  counter = 0
  items = {}
  local file = (mode == "grant") and (os.getenv("GRANTS") or (dir .. "/grants.txt")) or (dir .. "/accounts.txt")
  local i = 0
  for line in io.lines(file) do
    if i % n == id then items[#items + 1] = line end
    i = i + 1
  end
  local f = io.open(dir .. "/provider.token"); provider = f:read("*l"); f:close()
  f = io.open(dir .. "/merchant.txt"); merchant = f:read("*l"); f:close()
  f = io.open(dir .. "/floor-grant.token"); floor = f:read("*l"); f:close()
  next_item = 1
end

function request()
  counter = counter + 1
  local headers = { ["Content-Type"] = "application/json", ["Idempotency-Key"] = prefix .. counter }
  if mode == "grant" then
    local line = items[next_item]
    next_item = next_item + 1
    if line == nil then
      -- Tokens spent: this thread stops (a last request, refused before any database work, is not a grant).
      wrk.thread:stop()
      headers["Authorization"] = "Bearer " .. floor
      return wrk.format("POST", "/api/applications", headers, '{"rule":"no-such-rule","campaign":"' .. campaign .. '"}')
    end
    local token, rule = line:match("(%S+) (%S+)")
    headers["Authorization"] = "Bearer " .. token
    return wrk.format("POST", "/api/applications", headers, '{"rule":"' .. rule .. '","campaign":"' .. campaign .. '"}')
  elseif mode == "floor-grant" then
    headers["Authorization"] = "Bearer " .. floor
    return wrk.format("POST", "/api/applications", headers, '{"rule":"no-such-rule","campaign":"' .. campaign .. '"}')
  end
  local account = items[(counter % #items) + 1]
  headers["Authorization"] = "Bearer " .. provider
  if mode == "charge" then
    return wrk.format("POST", "/api/charges", headers, '{"paymentAccount":"' .. account .. '","amount":100,"campaign":"' .. campaign .. '"}')
  elseif mode == "floor-charge" then
    return wrk.format("POST", "/api/charges", headers, '{"paymentAccount":"' .. account .. '","amount":0,"campaign":"' .. campaign .. '"}')
  else
    return wrk.format("POST", "/api/redemptions", headers, '{"paymentAccount":"' .. account .. '","merchantCorporateNumber":"'
      .. merchant .. '","amount":1,"campaign":"' .. campaign .. '"}')
  end
end

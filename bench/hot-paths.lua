-- wrk script of bench/hot-paths.sh. Env: MODE (grant|charge|redemption|floor-grant|floor-charge), DIR (files of
-- HotPathsSetup), CAMPAIGN, THREADS (wrk -t). Every request carries a fresh Idempotency-Key; grants take their
-- single-use operation tokens from DIR/grants.txt (thread i takes lines i, i+THREADS, ...) and a thread whose tokens
-- are spent stops. wrk divides by the whole run's length, so a grant run also prints "grants: <spent> in <ms>",
-- timed from the threads' start to the last thread's stop: the rate while tokens lasted.
local threads = {}

-- Wall-clock milliseconds (wrk's Lua has only whole seconds); called twice per thread, not per request.
local function now_ms()
  local p = io.popen("date +%s%3N")
  local t = tonumber(p:read("*l"))
  p:close()
  return t
end
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
  if mode == "grant" then started = now_ms() end
end

function request()
  counter = counter + 1
  local headers = { ["Content-Type"] = "application/json", ["Idempotency-Key"] = prefix .. counter }
  if mode == "grant" then
    local line = items[next_item]
    next_item = next_item + 1
    if line == nil then
      -- Tokens spent: this thread stops (a last request, refused before any database work, is not a grant).
      if stopped == nil then stopped = now_ms(); spent = #items end
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

function done(summary, latency, requests)
  if os.getenv("MODE") ~= "grant" then return end
  local spent, first, last = 0, nil, nil
  for _, t in ipairs(threads) do
    local began, ended = t:get("started"), t:get("stopped")
    if ended == nil then return end -- a thread still had tokens at the end: wrk's own rate holds
    spent = spent + t:get("spent")
    if first == nil or began < first then first = began end
    if last == nil or ended > last then last = ended end
  end
  io.write(string.format("grants: %d in %d ms\n", spent, last - first))
end

-- wrk script of hot-paths.sh's peaks: requests over many distinct (path, viewer) pairs, in turn. REQUESTS names a
-- file of "path<TAB>token" lines (no token: an anonymous request).
local requests = {}
init = function(args)
  for line in io.lines(os.getenv("REQUESTS")) do
    local path, token = line:match("^([^\t]+)\t?(.*)$")
    local headers = {}
    if token ~= nil and token ~= "" then headers["Authorization"] = "Bearer " .. token end
    requests[#requests + 1] = wrk.format("GET", path, headers)
  end
end
local counter = 0
request = function()
  counter = counter + 1
  return requests[(counter - 1) % #requests + 1]
end

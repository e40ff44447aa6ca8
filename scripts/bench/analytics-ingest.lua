-- wrk: each request posts a batch of BATCH progress events for one of the pre-minted viewers, with fresh ids.
-- Inputs (environment): TOKENS_FILE (one JWT a line), EPISODES_FILE (one episode id a line), BATCH (default 100).
local counter = 0
local thread_id = 0
local tokens, episodes = {}, {}
local batch = tonumber(os.getenv("BATCH") or "100")

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

function init(args)
  for line in io.lines(os.getenv("TOKENS_FILE")) do tokens[#tokens + 1] = line end
  for line in io.lines(os.getenv("EPISODES_FILE")) do episodes[#episodes + 1] = line end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local episode = episodes[(counter % #episodes) + 1]
  local parts = {}
  for i = 1, batch do
    parts[i] = string.format(
      '{"id":"b%d-%d-%d","type":"progress","episodeId":"%s","occurredAt":"%s","positionSeconds":%d}',
      tid, counter, i, episode, now, i % 90)
  end
  wrk.headers["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1]
  return wrk.format(nil, nil, nil, '{"events":[' .. table.concat(parts, ",") .. ']}')
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("non2xx %d\n", non2xx))
end

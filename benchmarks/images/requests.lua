-- Uncached requests: every request asks for a variant never rendered before (width x quality
-- combinations differ per thread and per request), so each one fetches, renders and stores.
local counter = 0
local thread_id = 0
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local n = counter * 16 + thread_id
  local width = 200 + (n % 400)
  local quality = 50 + math.floor(n / 400) % 50
  return wrk.format("GET", string.format("/img/unsafe/%dx200/filters:format(webp):quality(%d)/bench/photo.jpg", width, quality))
end

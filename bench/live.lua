-- wrk script for `bench/run live`: GET one path; with "conditional" as the first argument the
-- thread keeps the last ETag it saw and asks with If-None-Match, as a browser or the page's own
-- poller does. Prints one BENCH_JSON line with the counts per status and the latency percentiles.

local conditional = false
local etag = nil
ok, not_modified, other = 0, 0, 0  -- globals: done() reads them with thread:get()
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  conditional = args[1] == "conditional"
end

function request()
  if conditional and etag then
    return wrk.format("GET", nil, { ["If-None-Match"] = etag })
  end
  return wrk.format("GET")
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 304 then
    not_modified = not_modified + 1
  else
    other = other + 1
  end
  if conditional then
    local tag = headers["ETag"] or headers["etag"]
    if tag then
      etag = tag
    end
  end
end

function done(summary, latency, requests)
  local ok_total, nm_total, other_total = 0, 0, 0
  for _, t in ipairs(threads) do
    ok_total = ok_total + t:get("ok")
    nm_total = nm_total + t:get("not_modified")
    other_total = other_total + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"duration_us":%d,"requests":%d,"ok":%d,"not_modified":%d,"other":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.duration, summary.requests, ok_total, nm_total, other_total,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end

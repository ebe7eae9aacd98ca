-- wrk script for `bench/run callback`: cycle through pre-generated, signed and encrypted
-- callback requests so that no request (and so no MsgId) is sent twice.
--   wrk ... -s bench/callback.lua <url> -- <requests file> <wrk threads>
-- The file has one request per line: "<path?query>\t<body>". Thread k of n takes lines
-- k, k+n, k+2n, ... so threads never share a request. done() prints one JSON line with the
-- exact percentiles and how many requests were issued (issued - completed = still in flight
-- when wrk stopped, or failed on the socket).

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads = args[1], tonumber(args[2])
  reqs = {}
  local i = 0
  for line in io.lines(file) do
    if i % nthreads == id then
      local tab = line:find("\t", 1, true)
      reqs[#reqs + 1] = wrk.format("POST", line:sub(1, tab - 1),
        { ["Content-Type"] = "text/xml" }, line:sub(tab + 1))
    end
    i = i + 1
  end
  n = #reqs
  idx = 0
  issued = 0
  wrapped = 0
end

function request()
  idx = idx + 1
  if idx > n then
    idx = 1
    wrapped = wrapped + 1
  end
  issued = issued + 1
  return reqs[idx]
end

function done(summary, latency, requests)
  local issued_total, wrapped_total, per_thread = 0, 0, {}
  for _, t in ipairs(threads) do
    issued_total = issued_total + t:get("issued")
    wrapped_total = wrapped_total + t:get("wrapped")
    per_thread[#per_thread + 1] = tostring(t:get("issued"))
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"duration_us":%d,"requests":%d,"bytes":%d,"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d,"issued":%d,"issued_by_thread":[%s],"wrapped":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, issued_total, table.concat(per_thread, ","), wrapped_total, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max, latency.mean))
end

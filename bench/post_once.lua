-- wrk script: POST each line of the file given after `--` once, in order, over all of wrk's
-- connections. It prints "started" at the first request and "finished" once every line is answered:
-- bench/wrk.py times the run between the two and then stops wrk (which otherwise runs out its -d,
-- whatever thread:stop() does), and reads the summary that done() prints.
local bodies, sent, answered, checked = {}, 0, 0, false

function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
end

local function post(body)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end

function request()
  if not checked then
    -- wrk calls request() once before the run to see what it returns, and sends none of it.
    checked = true
    return post(bodies[1])
  end
  sent = sent + 1
  if sent == 1 then
    io.write("started\n")
    io.flush()
  end
  -- A connection that frees up after the last line is sent repeats it: a duplicate, stored once.
  return post(bodies[math.min(sent, #bodies)])
end

function response(status, headers, body)
  answered = answered + 1
  if answered == #bodies then
    io.write("finished\n")
    io.flush()
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("answered=%d not_2xx=%d socket_errors=%d p50_us=%d p99_us=%d\n", summary.requests,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout, latency:percentile(50),
    latency:percentile(99)))
end

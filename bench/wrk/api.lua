-- Requests of the CloudsFor benchmark, for wrk. Configured by environment variables:
--   CF_METHOD   GET, HEAD or POST
--   CF_PATHS    a file with one request path per line; each wrk thread takes its own share, in turn
--   CF_THREADS  wrk's -t, so the paths are split evenly between threads
--   CF_AUTH     the Authorization header (empty: none)
--   CF_BODY     the request body; "{n}" becomes a counter unique to the request (names of new VMs)
--   CF_EXPECTED the status every answer should have; any other counts as unexpected
--   CF_POWER    "1": each line is "PATH<TAB>TYPE" (power_off or power_on) and the body alternates between
--               the two, one pass over the thread's paths each, starting with TYPE, so every action finds
--               its VM in the state it needs (if the worker kept up)
--   CF_WRITE_EVERY N > 0: a mixed workload; every Nth request is a POST of CF_WRITE_BODY ("{n}" as above) to
--               CF_WRITE_PATH, answered CF_WRITE_EXPECTED; the others are the reads above
-- done() prints one line "CF_RESULT {json}" that the runner reads.
local next_thread = 0
local threads = {}

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
  threads[#threads + 1] = thread
end

function init(args)
  method = os.getenv("CF_METHOD") or "GET"
  local threads = tonumber(os.getenv("CF_THREADS") or "1")
  local all = {}
  for line in io.lines(os.getenv("CF_PATHS")) do
    all[#all + 1] = line
  end
  paths = {}
  for i, line in ipairs(all) do
    if (i - 1) % threads == thread_id then
      paths[#paths + 1] = line
    end
  end
  if #paths == 0 then
    paths = all -- fewer paths than threads: every thread sends them all
  end
  headers = {}
  local auth = os.getenv("CF_AUTH") or ""
  if auth ~= "" then
    headers["Authorization"] = auth
  end
  body = os.getenv("CF_BODY") or ""
  power = os.getenv("CF_POWER") == "1"
  if body ~= "" or power then
    headers["Content-Type"] = "application/json"
  end
  -- wrk calls request() once on its first thread before the run, to check the script: not sent.
  n = (thread_id == 0) and -1 or 0
  expected = tonumber(os.getenv("CF_EXPECTED") or "200")
  write_every = tonumber(os.getenv("CF_WRITE_EVERY") or "0")
  write_path = os.getenv("CF_WRITE_PATH") or ""
  write_body = os.getenv("CF_WRITE_BODY") or ""
  write_expected = tonumber(os.getenv("CF_WRITE_EXPECTED") or "202")
  write_headers = {}
  for k, v in pairs(headers) do
    write_headers[k] = v
  end
  write_headers["Content-Type"] = "application/json"
  unexpected = 0
  refused = 0
end

-- wrk itself counts only answers of 400 and above, so every answer's status is looked at here (the same cost
-- for the API and the ceiling). A VM still locked by its previous action answers 409, and is then not in the
-- state the next pass's action needs (422): the server refusing as documented while its worker runs behind,
-- counted apart from the unexpected.
-- In a mixed workload the answer does not say which request it was: either expected status counts.
function response(status, headers, body)
  if status ~= expected and not (write_every > 0 and status == write_expected) then
    if power and (status == 409 or status == 422) then
      refused = refused + 1
    else
      unexpected = unexpected + 1
    end
  end
end

function request()
  if write_every > 0 and n % write_every == write_every - 1 then
    n = n + 1
    return wrk.format("POST", write_path, write_headers, (write_body:gsub("{n}", thread_id .. "-" .. n)))
  end
  local path = paths[n % #paths + 1]
  local pass = math.floor(n / #paths)
  n = n + 1
  local b = nil
  if power then
    local tab = path:find("\t")
    local first = path:sub(tab + 1)
    path = path:sub(1, tab - 1)
    local other = (first == "power_off") and "power_on" or "power_off"
    b = '{"type":"' .. ((pass % 2 == 0) and first or other) .. '"}'
  elseif body ~= "" then
    b = (body:gsub("{n}", thread_id .. "-" .. n))
  end
  return wrk.format(method, path, headers, b)
end

function done(summary, latency, requests)
  local e = summary.errors
  local unexpected, refused = 0, 0
  for _, thread in ipairs(threads) do
    unexpected = unexpected + (thread:get("unexpected") or 0)
    refused = refused + (thread:get("refused") or 0)
  end
  io.write(string.format(
    'CF_RESULT {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"unexpected":%d,"refused":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, unexpected, refused,
    latency:percentile(50), latency:percentile(99), latency.max))
end

-- CF_DEBUG=1 prints the first answers of each thread (slows wrk down: for finding out why requests fail).
if os.getenv("CF_DEBUG") == "1" then
  local shown = 0
  local count = response
  function response(status, headers, body)
    count(status, headers, body)
    if shown < 3 then
      io.write(status .. " " .. body .. "\n")
      shown = shown + 1
    end
  end
end

-- wrk script for one DynamoDB operation over keep-alive HTTP.
-- BENCH_OP names the operation, BENCH_BODY is its JSON body; a "%d" in the body is replaced
-- by "<thread>-<n>" (n up to 10000, then repeating) so PutItem writes many distinct items.
local op = os.getenv("BENCH_OP")
local body = os.getenv("BENCH_BODY")

wrk.method = "POST"
wrk.path = "/"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "DynamoDB_20120810." .. op
-- Now: DynamoDB (and dynaplay-server) refuse a date more than 15 minutes off.
wrk.headers["X-Amz-Date"] = os.date("!%Y%m%dT%H%M%SZ")
-- Well-formed SigV4 with a dummy signature: neither server verifies it.
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/dynamodb/aws4_request, "
  .. "SignedHeaders=host;x-amz-date;x-amz-target, Signature=0"

local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

if body:find("%%d") then
  -- Formatting a request costs wrk more than some servers spend answering it, so each
  -- thread builds its requests once, up front, and cycles through them.
  local prefix, suffix = body:match("^(.*)%%d(.*)$")
  local requests, count, next_index = {}, 10000, 0

  function init(args)
    for i = 1, count do
      requests[i] = wrk.format(nil, nil, nil, prefix .. tostring(id) .. "-" .. i .. suffix)
    end
  end

  function request()
    next_index = next_index % count + 1
    return requests[next_index]
  end
else
  wrk.body = body
end

-- The request id (X-Request-Id) of the HTTP request that wrote an event, so an
-- audit event can be found in the logs of that request. Empty for events
-- written outside a request (scheduled jobs, the CLI, older events). It is
-- not part of the event's hash: the chain records what happened, the request
-- id only where to look in the logs, and chains written before it still verify.
ALTER TABLE events ADD COLUMN request_id TEXT NOT NULL DEFAULT '';

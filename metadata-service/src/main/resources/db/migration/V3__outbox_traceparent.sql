-- The W3C traceparent of the request that wrote the row, so the relay can put it on the Kafka
-- record and a consumer continues that request's trace. Null when tracing was off.
ALTER TABLE outbox ADD COLUMN traceparent text;

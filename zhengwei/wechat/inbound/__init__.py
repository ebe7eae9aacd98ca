"""Inbound half of the WeChat layer: the callback endpoint, durable de-duplicated storage of every
message and event, exactly-once dispatch to handlers, and instant passive replies.
See docs/wechat-callback.md for the design."""

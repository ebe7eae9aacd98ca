"""The WeChat platform layer: ``inbound`` (callback, storage, dispatch) and ``outbound`` (API)."""

"""Interface layer: HTTP routers (coding, meta)."""

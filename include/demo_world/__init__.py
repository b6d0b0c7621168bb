"""The demo world: a simulated Odoo 19 server (and, later, the rest of a distributor's systems).

Public entry points: `demo_world.server.start_server` / `DemoWorld`, `demo_world.cli.serve`,
`demo_world.store.Store` (read the generated truth directly) and `demo_world.generate.ensure_world`.
"""

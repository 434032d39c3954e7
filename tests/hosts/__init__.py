"""The system across hosts: network namespaces on this machine (needs root)."""

print("trm-bench: not yet implemented")

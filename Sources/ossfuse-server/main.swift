print("ossfuse-server: not yet implemented")

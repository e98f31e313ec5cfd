print("ossfuse: not yet implemented")

"""What each device is (``netops inventory facts``): model, serials, software, uptime, read over SSH and stored with history."""

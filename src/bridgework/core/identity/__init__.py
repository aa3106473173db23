"""Identity resolution: one person, many addresses and names."""

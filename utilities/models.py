"""Directory of places on the map: health, schools, offices, bus stations, fuel, ATM, wifi, tourism."""

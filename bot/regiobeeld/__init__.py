"""The regiobeeld: a web page of anonymous numbers, traffic lights and CSV for the people who steer."""

"""A loopback fake of the Slack Web API and Socket Mode, plus payloads and signing as Slack does them."""

"""guidebot core: everything that is true without Slack (knowledge, search, store, CLI)."""

__version__ = "0.1.0"

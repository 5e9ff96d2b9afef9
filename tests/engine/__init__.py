"""Engine tests that pin each figure by hand (issue 14 item 1; docs/testing.md)."""

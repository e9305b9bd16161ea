-- What the test consumer's NeedsKnown route requires before it applies an event (as a service requires its hosts).
CREATE TABLE test_known (name text PRIMARY KEY);

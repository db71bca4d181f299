-- Failed logins by client address and user name, kept in the database so
-- the limits hold across server instances. Rows older than the window are
-- deleted as new failures come in.
CREATE TABLE login_failures (
    client TEXT NOT NULL,
    username TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_client ON login_failures(client, at);
CREATE INDEX login_failures_at ON login_failures(at);

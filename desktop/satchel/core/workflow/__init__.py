"""Edit requests, their decisions and the audit trail: pure rules the services compose."""

"""The REST API for committee-management and intranet systems (docs/api.md).

Views are thin: reads go through the apps' selectors (scoped to the user's boards),
writes through the same services, rules and workflow engine as the pages."""

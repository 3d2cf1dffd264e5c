-- A hold decided by a group of hold rules names all of them (comma-separated), as the moderator sees them.
ALTER TABLE lk_moderation ALTER COLUMN rule_name SET DATA TYPE VARCHAR(400);

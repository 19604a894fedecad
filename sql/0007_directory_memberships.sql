-- 0007_directory_memberships.sql - community memberships that directory
-- groups grant ([communities] in portico.conf: "community-slug = group").
-- Sign-in and `porticoctl sync-directory` replace a source's rows with what
-- the directory says now, so a user removed from the group loses the grant
-- at their next sign-in or the next sync.  The communities module turns
-- these grants into memberships, with "directory" as their provenance;
-- the slug is not a foreign key because a grant may name a community that
-- is created later.

CREATE TABLE directory_memberships (
	user_id		BIGINT UNSIGNED NOT NULL,
	community_slug	VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	source		ENUM('ldap', 'oidc', 'header') NOT NULL,
	via_group	VARCHAR(1024) NOT NULL,
	confirmed_at	DATETIME NOT NULL,
	PRIMARY KEY (user_id, community_slug, source),
	KEY directory_memberships_community (community_slug),
	CONSTRAINT directory_memberships_user FOREIGN KEY (user_id)
	    REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

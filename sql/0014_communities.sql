-- 0014_communities.sql - an invitation can be declined by its recipient.
--
-- 0010 knew pending, accepted, revoked (by a manager), expired (by the
-- lifecycle sweep) and superseded (by a resend); a recipient who says no
-- is none of those.  modules/communities/invitations.c sets 'declined'.
ALTER TABLE community_invitations MODIFY status
    ENUM('pending', 'accepted', 'revoked', 'expired', 'superseded',
    'declined') NOT NULL DEFAULT 'pending';

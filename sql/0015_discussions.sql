-- 0015_discussions.sql - an index for the notifications page.
--
-- GET /notifications lists a user's notifications newest first, 50 at a
-- time with ?after= (modules/communities/notify.c).  notifications_inbox
-- (user_id, read_at, id) is ordered by read_at before id, so that listing
-- sorted every notification of the user; with (user_id, id) it reads one
-- page backwards along the index whatever the inbox holds.
ALTER TABLE notifications ADD KEY notifications_recent (user_id, id);

<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/modlog.xsl - the moderation log of a community at
  /c/{slug}/moderation/log (modules/communities/moderation_queue.c).

  Input, inside the core's <page> envelope:

    <modlog action="" first="yes|no">
      <community id="" slug="" name="" ...><description/></community>
      <action>hide</action>...              (actions in this log)
      <entry id="" at="" action="" actor="" subject="" thread="" post=""
          here="yes">
        <title>...</title>                  (only while the thread is here)
        <reason>...</reason>
      </entry>...
      <next before=""/>
    </modlog>

  Membership actions that the communities pages record in the same log
  are named too.  A GET filter by action, the entries as a table (who,
  when, what, why),
  and the next page as a GET form.  A thread no longer in this community
  is shown by number only.

  To name a new action, add it to the action-name template.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="log" select="/page/modlog"/>
  <xsl:variable name="slug" select="$log/community/@slug"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Moderation log · </xsl:text>
    <xsl:value-of select="$log/community/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container">
      <div class="page-head">
        <p class="eyebrow"><a href="/c/{$slug}"><xsl:value-of select="$log/community/@name"/></a></p>
        <h1>Moderation log</h1>
        <p class="muted">Who did what, when and why. <a href="/c/{$slug}/moderation">Back to the queue</a></p>
      </div>

      <form class="filters" method="get" action="/c/{$slug}/moderation/log" role="search" aria-label="Filter the log">
        <div class="field">
          <label for="action">Action</label>
          <select class="input" id="action" name="action">
            <option value="">Any</option>
            <xsl:for-each select="$log/action">
              <option value="{.}">
                <xsl:if test=". = $log/@action">
                  <xsl:attribute name="selected">selected</xsl:attribute>
                </xsl:if>
                <xsl:call-template name="action-name">
                  <xsl:with-param name="action" select="."/>
                </xsl:call-template>
              </option>
            </xsl:for-each>
          </select>
        </div>
        <div class="field field-actions">
          <button class="button button-primary" type="submit">Filter</button>
        </div>
      </form>

      <xsl:choose>
        <xsl:when test="not($log/entry)">
          <div class="empty-state">
            <p class="empty-title">No moderation actions yet.</p>
          </div>
        </xsl:when>
        <xsl:otherwise>
          <table class="table stack modlog-table">
            <caption class="visually-hidden">Moderation actions, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Moderator</th>
                <th scope="col">Action</th>
                <th scope="col">On</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              <xsl:apply-templates select="$log/entry"/>
            </tbody>
          </table>
        </xsl:otherwise>
      </xsl:choose>

      <nav class="pager" aria-label="Pages">
        <xsl:if test="$log/@first = 'no'">
          <form class="pager-form" method="get" action="/c/{$slug}/moderation/log">
            <xsl:if test="$log/@action">
              <input type="hidden" name="action" value="{$log/@action}"/>
            </xsl:if>
            <button class="button button-secondary" type="submit">Newest</button>
          </form>
        </xsl:if>
        <xsl:if test="$log/next">
          <form class="pager-form" method="get" action="/c/{$slug}/moderation/log">
            <xsl:if test="$log/@action">
              <input type="hidden" name="action" value="{$log/@action}"/>
            </xsl:if>
            <input type="hidden" name="before" value="{$log/next/@before}"/>
            <button class="button button-secondary" type="submit">Older</button>
          </form>
        </xsl:if>
      </nav>
    </div>
  </xsl:template>

  <xsl:template match="entry">
    <tr>
      <td data-label="When" class="nowrap"><xsl:value-of select="@at"/></td>
      <td data-label="Moderator"><xsl:value-of select="@actor"/></td>
      <td data-label="Action">
        <span class="tag">
          <xsl:call-template name="action-name">
            <xsl:with-param name="action" select="@action"/>
          </xsl:call-template>
        </span>
      </td>
      <td data-label="On">
        <xsl:choose>
          <xsl:when test="@here = 'yes'">
            <a href="/t/{@thread}"><xsl:value-of select="title"/></a>
          </xsl:when>
          <xsl:when test="@thread">
            <xsl:text>Thread </xsl:text>
            <xsl:value-of select="@thread"/>
            <span class="muted"> (no longer in this community)</span>
          </xsl:when>
        </xsl:choose>
        <xsl:if test="@post">
          <span class="user-meta muted">
            <xsl:text>Post </xsl:text>
            <xsl:value-of select="@post"/>
          </span>
        </xsl:if>
        <xsl:if test="@subject">
          <span class="user-meta muted">
            <xsl:choose>
              <xsl:when test="@thread or @post">by </xsl:when>
              <xsl:otherwise>Member: </xsl:otherwise>
            </xsl:choose>
            <xsl:value-of select="@subject"/>
          </span>
        </xsl:if>
      </td>
      <td data-label="Reason">
        <xsl:choose>
          <xsl:when test="normalize-space(reason) != ''"><xsl:value-of select="reason"/></xsl:when>
          <xsl:otherwise><span class="muted">None given</span></xsl:otherwise>
        </xsl:choose>
      </td>
    </tr>
  </xsl:template>

  <xsl:template name="action-name">
    <xsl:param name="action"/>
    <xsl:choose>
      <xsl:when test="$action = 'hide'">Hid a post</xsl:when>
      <xsl:when test="$action = 'unhide'">Showed a post again</xsl:when>
      <xsl:when test="$action = 'delete'">Deleted a post</xsl:when>
      <xsl:when test="$action = 'approve'">Approved a held post</xsl:when>
      <xsl:when test="$action = 'dismiss'">Dismissed a report</xsl:when>
      <xsl:when test="$action = 'lock'">Locked a thread</xsl:when>
      <xsl:when test="$action = 'unlock'">Unlocked a thread</xsl:when>
      <xsl:when test="$action = 'pin'">Pinned a thread</xsl:when>
      <xsl:when test="$action = 'unpin'">Unpinned a thread</xsl:when>
      <xsl:when test="$action = 'feature'">Featured a thread</xsl:when>
      <xsl:when test="$action = 'unfeature'">Stopped featuring a thread</xsl:when>
      <xsl:when test="$action = 'move'">Moved a thread out</xsl:when>
      <xsl:when test="$action = 'move_in'">Moved a thread in</xsl:when>
      <!-- Membership actions (modules/communities/members.c and friends). -->
      <xsl:when test="$action = 'community_create'">Created the community</xsl:when>
      <xsl:when test="$action = 'settings_change'">Changed the settings</xsl:when>
      <xsl:when test="$action = 'conflict_override'">Overrode the competitor check</xsl:when>
      <xsl:when test="$action = 'manager_add'">Named a manager</xsl:when>
      <xsl:when test="$action = 'member_add'">Added a member</xsl:when>
      <xsl:when test="$action = 'member_join'">Joined</xsl:when>
      <xsl:when test="$action = 'member_leave'">Left</xsl:when>
      <xsl:when test="$action = 'member_remove'">Removed a member</xsl:when>
      <xsl:when test="$action = 'member_promote'">Made a member manager</xsl:when>
      <xsl:when test="$action = 'member_demote'">Made a manager member</xsl:when>
      <xsl:when test="$action = 'request_create'">Asked to join</xsl:when>
      <xsl:when test="$action = 'request_approve'">Approved a join request</xsl:when>
      <xsl:when test="$action = 'request_decline'">Declined a join request</xsl:when>
      <xsl:when test="$action = 'invite_create'">Invited someone</xsl:when>
      <xsl:when test="$action = 'invite_resend'">Sent an invitation again</xsl:when>
      <xsl:when test="$action = 'invite_revoke'">Revoked an invitation</xsl:when>
      <xsl:when test="$action = 'invite_accept'">Accepted an invitation</xsl:when>
      <xsl:when test="$action = 'invite_decline'">Declined an invitation</xsl:when>
      <xsl:when test="$action = 'invite_blocked'">Invitation blocked by the competitor check</xsl:when>
      <xsl:otherwise><xsl:value-of select="$action"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  communities/move.xsl - move a thread to another community, at
  /t/{id}/move (modules/communities/moderation_threads.c).

  Input, inside the core's <page> envelope:

    <move thread="" title="" to="" reason="" conflict="yes">
      <community id="" slug="" name="" ...><description/></community>
      <target slug="" name=""/>...    (communities the moderator moderates)
      <error>...</error>              (after a refused POST)
    </move>

  A POST form (with the CSRF field): the target as a labelled select and
  the reason, which is required and goes to the moderation log.  When the
  competitor check refused the move (conflict="yes"), the form also
  offers to override it.

  To offer more options for a move, add fields here and in move_fields
  (moderation.c).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="../common.xsl"/>

  <xsl:variable name="mv" select="/page/move"/>

  <xsl:template match="page" mode="title">
    <xsl:text>Move a thread · </xsl:text>
    <xsl:value-of select="$mv/community/@name"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="container narrow">
      <div class="page-head">
        <p class="eyebrow"><a href="/c/{$mv/community/@slug}"><xsl:value-of select="$mv/community/@name"/></a></p>
        <h1>Move a thread</h1>
        <p class="lead"><a href="/t/{$mv/@thread}"><xsl:value-of select="$mv/@title"/></a></p>
        <p class="muted">The thread, its replies, kudos and reports go to the community you choose; members of this community will no longer see it.</p>
      </div>
      <xsl:if test="$mv/error">
        <div class="error-summary" role="alert" tabindex="-1">
          <p><a href="#to"><xsl:value-of select="$mv/error"/></a></p>
        </div>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="not($mv/target)">
          <div class="empty-state">
            <p class="empty-title">You moderate no other community to move it to.</p>
            <p><a href="/t/{$mv/@thread}">Back to the thread</a></p>
          </div>
        </xsl:when>
        <xsl:otherwise>
          <form method="post" action="/t/{$mv/@thread}/move">
            <xsl:call-template name="csrf-field"/>
            <div class="field">
              <label for="to">Move to</label>
              <select class="input" id="to" name="to" required="required">
                <option value="">Choose a community</option>
                <xsl:for-each select="$mv/target">
                  <option value="{@slug}">
                    <xsl:if test="@slug = $mv/@to">
                      <xsl:attribute name="selected">selected</xsl:attribute>
                    </xsl:if>
                    <xsl:value-of select="@name"/>
                  </option>
                </xsl:for-each>
              </select>
            </div>
            <div class="field">
              <label for="reason">Reason</label>
              <textarea class="input" id="reason" name="reason" rows="3" maxlength="500" required="required">
                <xsl:value-of select="$mv/@reason"/>
              </textarea>
            </div>
            <xsl:if test="$mv/@conflict = 'yes'">
              <div class="field">
                <input type="checkbox" id="override" name="override" value="1"/>
                <xsl:text> </xsl:text>
                <label for="override">Override the competitor check</label>
              </div>
            </xsl:if>
            <p class="actions">
              <button class="button button-primary" type="submit">Move thread</button>
              <xsl:text> </xsl:text>
              <a class="button button-quiet" href="/t/{$mv/@thread}">Cancel</a>
            </p>
          </form>
        </xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

</xsl:stylesheet>
